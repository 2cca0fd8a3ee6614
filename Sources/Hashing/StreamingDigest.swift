import CCrypto

/// A digest fed piece by piece, so bytes can be hashed while they stream somewhere else (a zip, a decoder).
public final class StreamingDigest {
    private let context: OpaquePointer?
    private var isFinished = false

    public init(_ algorithm: FileDigest.Algorithm = .sha256) {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, algorithm == .sha256 ? EVP_sha256() : EVP_md5(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!isFinished, "StreamingDigest updated after finishing")
        if bytes.count > 0 { EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) }
    }

    /// The digest of everything added, as lowercase hex; the digest takes no more bytes afterwards.
    public func finishHex() -> String {
        precondition(!isFinished, "StreamingDigest finished twice")
        isFinished = true
        return FileDigest.finish(context)
    }
}
