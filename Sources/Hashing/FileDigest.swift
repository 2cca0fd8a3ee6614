import CCrypto
import Foundation
import Glibc
import SystemIO

/// Digests of files and bytes through libcrypto (SHA-NI where the CPU has it), as lowercase hex.
public enum FileDigest {
    public enum Algorithm: Sendable { case sha256, md5 }

    /// Streams a file through the digest in 1 MiB reads, so memory stays flat for large images.
    public static func hex(of path: String, algorithm: Algorithm = .sha256) throws -> String {
        let fd = try retryOnInterrupt("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestInit_ex(context, algorithm == .sha256 ? EVP_sha256() : EVP_md5(), nil)
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try retryOnInterrupt("read", path: path) { read(fd, buffer, capacity) }
            if count == 0 { break }
            EVP_DigestUpdate(context, buffer, count)
        }
        return finish(context)
    }

    /// The digest of bytes already in memory.
    public static func hex(of data: Data, algorithm: Algorithm = .sha256) -> String {
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestInit_ex(context, algorithm == .sha256 ? EVP_sha256() : EVP_md5(), nil)
        data.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        return finish(context)
    }

    static func finish(_ context: OpaquePointer?) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        let hexDigits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(Int(length) * 2)
        for byte in digest[0..<Int(length)] {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
