/// One entry as the central directory describes it.
public struct ZipEntry: Sendable, Equatable {
    /// The entry's name as stored (UTF-8, or bytes mapped one-to-one when the archive did not flag UTF-8).
    public let name: String
    public let compressedSize: UInt64
    public let uncompressedSize: UInt64
    public let crc32: UInt32
    /// The compression method: 0 stored, 8 deflate; anything else is refused on read.
    public let method: UInt16
    public let isEncrypted: Bool
    /// The Unix mode from the external attributes, when the archiver recorded one.
    public let unixMode: UInt32?
    let localHeaderOffset: UInt64

    public var isDirectory: Bool {
        name.hasSuffix("/") || unixMode.map { $0 & 0o170000 == 0o040000 } == true
    }

    public var isSymbolicLink: Bool {
        unixMode.map { $0 & 0o170000 == 0o120000 } == true
    }

    /// A symlink, device, FIFO or socket: anything but a regular file or directory.
    public var isSpecialFile: Bool {
        guard let type = unixMode.map({ $0 & 0o170000 }), type != 0 else { return false }
        return type != 0o100000 && type != 0o040000
    }

    init(record: ZipCentralRecord) {
        // Valid UTF-8 is read as UTF-8 even without flag bit 11 (many archivers omit it); other bytes map one-to-one.
        if let text = String(validating: record.nameBytes, as: UTF8.self) {
            name = text
        } else {
            name = String(String.UnicodeScalarView(record.nameBytes.map { Unicode.Scalar($0) }))
        }
        compressedSize = record.compressedSize
        uncompressedSize = record.uncompressedSize
        crc32 = record.crc32
        method = record.method
        isEncrypted = record.flags & ZipFormat.flagEncrypted != 0
        let mode = record.externalAttributes >> 16
        unixMode = mode == 0 ? nil : mode
        localHeaderOffset = record.localHeaderOffset
    }
}

/// Caps that keep an untrusted archive from filling the disk or hanging the daemon (zip bombs).
public struct ZipExtractionLimits: Sendable, Equatable {
    public var maxEntries: Int
    public var maxTotalUncompressedBytes: UInt64
    /// How many times its compressed size an entry may expand to.
    public var maxCompressionRatio: Int
    /// The ratio applies only past this many bytes, since a short run of repeated text compresses extremely well.
    public var ratioAppliesAbove: UInt64
    /// How many times the archive's size on disk all extracted bytes together may reach (past `ratioAppliesAbove`),
    /// so thousands of small entries, each under the per-entry threshold, cannot add up to a bomb.
    public var maxArchiveCompressionRatio: Int

    public init(
        maxEntries: Int = 50_000, maxTotalUncompressedBytes: UInt64 = 16 << 30, maxCompressionRatio: Int = 200,
        ratioAppliesAbove: UInt64 = 1 << 20, maxArchiveCompressionRatio: Int = 200
    ) {
        self.maxEntries = maxEntries
        self.maxTotalUncompressedBytes = maxTotalUncompressedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioAppliesAbove = ratioAppliesAbove
        self.maxArchiveCompressionRatio = maxArchiveCompressionRatio
    }

    /// Whether `total` extracted bytes exceed the whole-archive ratio for an archive of `archiveSize` bytes.
    func exceedsArchiveRatio(total: UInt64, archiveSize: UInt64) -> Bool {
        guard total > ratioAppliesAbove else { return false }
        let (allowed, overflow) = max(archiveSize, 1).multipliedReportingOverflow(by: UInt64(max(maxArchiveCompressionRatio, 1)))
        return !overflow && total > allowed
    }

    public static let `default` = ZipExtractionLimits()
}

/// Checks entry names from untrusted archives before anything is written.
enum ZipEntryPath {
    /// The name's path components when it stays inside the destination; nil for `..`, absolute paths,
    /// backslashes, drive letters, NUL bytes and empty or `.` components.
    static func safeComponents(of name: String) -> [String]? {
        var trimmed = Substring(name)
        if trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard !trimmed.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.contains("\0"),
            name.utf8.count <= 4096
        else { return nil }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            guard !part.isEmpty, part != ".", part != "..", part.utf8.count <= 255 else { return nil }
        }
        if let first = parts.first?.utf8, first.count >= 2, first.dropFirst().first == UInt8(ascii: ":"),
            let letter = first.first, (UInt8(ascii: "A")...UInt8(ascii: "z")).contains(letter)
        {
            return nil
        }
        return parts
    }
}
