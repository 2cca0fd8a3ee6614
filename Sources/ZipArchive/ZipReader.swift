import Dispatch
import Foundation
import Glibc
import SystemIO

/// Reads a zip's central directory and extracts untrusted archives safely.
public final class ZipReader {
    public let path: String
    /// Entries in central directory order.
    public let entries: [ZipEntry]
    private let file: RawFile
    /// Where the central directory starts: every entry's data must end before it.
    private let directoryOffset: UInt64
    /// The archive's size on disk: the whole-archive compression ratio is measured against it.
    private let archiveSize: UInt64

    /// Opens `path` and reads its central directory.
    /// - Throws: `ZipError.notComplete` when the end record is missing (an unfinished download), `.corrupt` when
    ///   the directory contradicts itself.
    public init(path: String) throws(ZipError) {
        self.path = path
        file = try RawFile.openForReading(path)
        let size = try file.size()
        archiveSize = size
        let tailLength = Int(min(size, UInt64(ZipFormat.maxEndSearch)))
        let tailStart = size - UInt64(tailLength)
        let tail = try file.read(count: tailLength, at: tailStart)
        guard let endIndex = Self.findEndRecord(in: tail) else { throw .notComplete(file: path) }

        var end = ByteReader(tail, at: endIndex + 4)
        guard let disk = end.u16(), let directoryDisk = end.u16(), end.u16() != nil, let count16 = end.u16(),
            let size32 = end.u32(), let offset32 = end.u32()
        else { throw .notComplete(file: path) }
        guard disk == 0, directoryDisk == 0 else {
            throw .unsupported(file: path, entry: "", detail: "multi-part (spanned) archives are not supported")
        }
        var count = UInt64(count16)
        var directorySize = UInt64(size32)
        var offset = UInt64(offset32)
        var directoryEnd = tailStart + UInt64(endIndex)

        let locatorIndex = endIndex - ZipFormat.zip64LocatorSize
        var locator = ByteReader(tail, at: max(locatorIndex, 0))
        if locatorIndex >= 0, locator.u32() == ZipFormat.zip64LocatorSignature, locator.u32() != nil,
            let zip64EndOffset = locator.u64()
        {
            guard zip64EndOffset < size else { throw .corrupt(file: path, detail: "the Zip64 end record lies past the end of the file") }
            let record = try file.read(count: ZipFormat.zip64EndSize, at: zip64EndOffset)
            var zip64 = ByteReader(record)
            guard zip64.u32() == ZipFormat.zip64EndSignature, zip64.take(28) != nil, let count64 = zip64.u64(),
                let size64 = zip64.u64(), let offset64 = zip64.u64()
            else { throw .corrupt(file: path, detail: "the Zip64 end record is unreadable") }
            count = count64
            directorySize = size64
            offset = offset64
            directoryEnd = zip64EndOffset
        }
        guard offset <= directoryEnd, directorySize == directoryEnd - offset,
            count <= directorySize / UInt64(ZipFormat.centralHeaderSize)
        else { throw .corrupt(file: path, detail: "the central directory's size, offset or count do not add up") }

        let directory = try file.read(count: Int(directorySize), at: offset)
        var reader = ByteReader(directory)
        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(count))
        for index in 0..<count {
            guard let record = ZipCentralRecord.decode(from: &reader) else {
                throw .corrupt(file: path, detail: "central directory record \(index) is unreadable")
            }
            guard record.localHeaderOffset < offset else {
                throw .corrupt(file: path, detail: "entry \(index) points past the central directory")
            }
            entries.append(ZipEntry(record: record))
        }
        self.entries = entries
        directoryOffset = offset
    }

    /// Whether `path` is a zip whose central directory reads: the download watcher's test for a finished file.
    public static func isComplete(_ path: String) -> Bool {
        (try? ZipReader(path: path)) != nil
    }

    /// The last end-of-central-directory record whose comment ends exactly at the end of the file.
    private static func findEndRecord(in tail: [UInt8]) -> Int? {
        var index = tail.count - ZipFormat.endOfCentralDirectorySize
        while index >= 0 {
            if tail[index] == 0x50, tail[index + 1] == 0x4B, tail[index + 2] == 0x05, tail[index + 3] == 0x06 {
                let commentLength = Int(tail[index + 20]) | Int(tail[index + 21]) << 8
                if index + ZipFormat.endOfCentralDirectorySize + commentLength == tail.count { return index }
            }
            index -= 1
        }
        return nil
    }

    // MARK: - Reading entries

    /// An entry's bytes in memory, verified against its CRC; refuses entries larger than `limit`.
    public func contents(of entry: ZipEntry, limit: UInt64 = 256 << 20) throws(ZipError) -> [UInt8] {
        guard entry.uncompressedSize <= limit else { throw .tooLarge(file: path, limit: limit) }
        var output: [UInt8] = []
        output.reserveCapacity(Int(entry.uncompressedSize))
        var budget = ZipBudget(
            limits: ZipExtractionLimits(maxTotalUncompressedBytes: limit, maxArchiveCompressionRatio: .max), file: path,
            archiveSize: archiveSize)
        try readData(of: entry, budget: &budget) { (chunk) throws(ZipError) in output.append(contentsOf: chunk) }
        return output
    }

    /// Streams an entry's inflated bytes to `sink`, enforcing its declared size, the budget and its CRC.
    private func readData(
        of entry: ZipEntry, budget: inout ZipBudget, sink: (UnsafeRawBufferPointer) throws(ZipError) -> Void
    ) throws(ZipError) {
        guard !entry.isEncrypted else {
            throw .unsupported(file: path, entry: entry.name, detail: "encrypted entries are not supported")
        }
        guard entry.method == ZipFormat.methodStored || entry.method == ZipFormat.methodDeflated else {
            throw .unsupported(file: path, entry: entry.name, detail: "compression method \(entry.method)")
        }
        if entry.method == ZipFormat.methodStored && entry.compressedSize != entry.uncompressedSize {
            throw .corrupt(file: path, detail: "stored entry \"\(entry.name)\" has two different sizes")
        }
        let start = try dataStart(of: entry)
        guard start <= directoryOffset, entry.compressedSize <= directoryOffset - start else {
            throw .corrupt(file: path, detail: "entry \"\(entry.name)\" runs into the central directory")
        }

        var crc: UInt32 = 0
        var produced: UInt64 = 0
        func accept(_ chunk: UnsafeRawBufferPointer) throws(ZipError) {
            produced += UInt64(chunk.count)
            guard produced <= entry.uncompressedSize else {
                throw .corrupt(file: path, detail: "entry \"\(entry.name)\" is longer than its header says")
            }
            try budget.consume(UInt64(chunk.count), entry: entry, producedSoFar: produced)
            crc = Zlib.crc32(crc, chunk)
            try sink(chunk)
        }

        // Buffers sized to the entry: most entries are small, and a fresh megabyte per entry costs page faults.
        let chunkSize = Int(min(1 << 20, max(entry.compressedSize, 1)))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        let inflater = entry.method == ZipFormat.methodDeflated
            ? Inflater(scratchSize: Int(min(256 << 10, max(entry.uncompressedSize, 4096)))) : nil
        var position: UInt64 = 0
        var ended = inflater == nil
        while position < entry.compressedSize {
            let want = Int(min(UInt64(chunkSize), entry.compressedSize - position))
            let got = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: start + position)
            guard got == want else { throw .notComplete(file: path) }
            position += UInt64(got)
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<got])
            if let inflater {
                switch try inflater.inflate(chunk, emit: accept) {
                case .ended: ended = true
                case .needsInput: break
                case .invalid(let reason):
                    throw .corrupt(file: path, detail: "entry \"\(entry.name)\" has bad deflate data (\(reason))")
                }
                if ended { break }
            } else {
                try accept(chunk)
            }
        }
        guard ended, produced == entry.uncompressedSize else {
            throw .corrupt(file: path, detail: "entry \"\(entry.name)\" is shorter than its header says")
        }
        guard crc == entry.crc32 else { throw .checksumMismatch(file: path, entry: entry.name) }
    }

    /// Where an entry's data begins, after its local header's name and extra field.
    private func dataStart(of entry: ZipEntry) throws(ZipError) -> UInt64 {
        let header = try file.read(count: ZipFormat.localHeaderSize, at: entry.localHeaderOffset)
        var reader = ByteReader(header, at: 26)
        guard header.count == ZipFormat.localHeaderSize, ByteReader(header).u32Value == ZipFormat.localHeaderSignature,
            let nameLength = reader.u16(), let extraLength = reader.u16()
        else { throw .corrupt(file: path, detail: "entry \"\(entry.name)\" has no valid local header") }
        return entry.localHeaderOffset + UInt64(ZipFormat.localHeaderSize) + UInt64(nameLength) + UInt64(extraLength)
    }

    // MARK: - Extracting untrusted archives

    /// Extracts every entry into `destination`, which must not exist yet, and returns the files' relative paths.
    ///
    /// Everything is checked before the first byte is written (names, links, counts, declared sizes) and again
    /// while inflating (actual sizes, ratio, CRC). Files land in a temporary folder beside `destination` that is
    /// renamed into place only when the whole archive succeeded; on failure it is removed and nothing else changed.
    @discardableResult
    /// - Parameter include: the entries the caller can use (say images and captions); the others are checked for
    ///   safe names but never inflated or written, so junk in an archive never reaches the disk.
    public func extractAll(
        into destination: String, limits: ZipExtractionLimits = .default, include: (ZipEntry) -> Bool = { _ in true }
    ) throws(ZipError) -> [String] {
        let plan = try extractionPlan(limits: limits, include: include)
        let destinationURL = URL(fileURLWithPath: destination)
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw .destinationExists(file: path, destination: destination)
        }
        let parent = destinationURL.deletingLastPathComponent().path
        // A fixed-length name (TemporaryName), so a long destination name cannot push it past NAME_MAX.
        let staging = parent + "/" + TemporaryName.make()
        guard mkdir(staging, 0o755) == 0 else {
            throw .io(file: path, detail: "cannot create \(staging): \(String(cString: strerror(errno)))")
        }
        do throws(ZipError) {
            var budget = ZipBudget(limits: limits, file: path, archiveSize: archiveSize)
            var created: Set<String> = []
            var files: [String] = []
            for (entry, components) in plan {
                let isDirectory = entry.isDirectory
                let folders = isDirectory ? components : Array(components.dropLast())
                var folder = staging
                for component in folders {
                    folder += "/" + component
                    if created.insert(folder).inserted {
                        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
                            throw .io(file: path, detail: "cannot create \(folder): \(String(cString: strerror(errno)))")
                        }
                    }
                }
                if isDirectory { continue }
                let target = staging + "/" + components.joined(separator: "/")
                let output = try RawFile.create(target, exclusive: true)
                try readData(of: entry, budget: &budget) { (chunk) throws(ZipError) in try output.write(chunk) }
                try output.close()
                files.append(components.joined(separator: "/"))
            }
            try Self.syncAll(files.map { staging + "/" + $0 } + created.sorted() + [staging], archive: path)
            guard rename(staging, destination) == 0 else {
                throw .io(file: path, detail: "cannot move \(staging) to \(destination): \(String(cString: strerror(errno)))")
            }
            let directory = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directory >= 0 {
                fsync(directory)
                close(directory)
            }
            return files
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// Flushes every extracted file and folder to disk before the staging folder is renamed into place.
    ///
    /// Many fsyncs issued together share the file system's journal commits, so a few threads make a thousand small
    /// files durable several times faster than one fsync after another.
    private static func syncAll(_ paths: [String], archive: String) throws(ZipError) {
        let failures = SyncFailures()
        let workers = min(16, max(1, paths.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: paths.count, by: workers) {
                let fd = open(paths[index], O_RDONLY | O_CLOEXEC)
                if fd < 0 || fsync(fd) != 0 {
                    failures.record("cannot flush \(paths[index]): \(String(cString: strerror(errno)))")
                }
                if fd >= 0 { close(fd) }
            }
        }
        if let failure = failures.first { throw .io(file: archive, detail: failure) }
    }

    /// Validates every entry against the limits and the destination rules; returns entries with their path parts.
    private func extractionPlan(limits: ZipExtractionLimits, include: (ZipEntry) -> Bool) throws(ZipError)
        -> [(ZipEntry, [String])]
    {
        guard entries.count <= limits.maxEntries else {
            throw .tooManyEntries(file: path, count: entries.count, limit: limits.maxEntries)
        }
        var declaredTotal: UInt64 = 0
        var seen: Set<String> = []
        var plan: [(ZipEntry, [String])] = []
        for entry in entries {
            guard let components = ZipEntryPath.safeComponents(of: entry.name) else {
                throw .unsafeEntryName(file: path, entry: entry.name)
            }
            guard !entry.isSymbolicLink, !entry.isSpecialFile else { throw .linkEntry(file: path, entry: entry.name) }
            let key = components.joined(separator: "/")
            guard seen.insert(key).inserted || entry.isDirectory else {
                throw .duplicateEntry(file: path, entry: entry.name)
            }
            guard entry.isDirectory || include(entry) else { continue }
            declaredTotal += entry.uncompressedSize
            guard declaredTotal <= limits.maxTotalUncompressedBytes else {
                throw .tooLarge(file: path, limit: limits.maxTotalUncompressedBytes)
            }
            if entry.uncompressedSize > limits.ratioAppliesAbove,
                entry.uncompressedSize / max(entry.compressedSize, 1) > UInt64(limits.maxCompressionRatio)
            {
                throw .compressionRatioExceeded(file: path, entry: entry.name, limit: limits.maxCompressionRatio)
            }
            // Checked after the entry's own ratio, so a single-entry bomb is named by its entry.
            guard !limits.exceedsArchiveRatio(total: declaredTotal, archiveSize: archiveSize) else {
                throw .archiveCompressionRatioExceeded(file: path, limit: limits.maxArchiveCompressionRatio)
            }
            plan.append((entry, components))
        }
        try rejectOverlaps()
        return plan
    }

    /// Refuses entries whose data overlaps another's: a trick that makes a small archive inflate many times over.
    private func rejectOverlaps() throws(ZipError) {
        let sorted = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        var previousEnd: UInt64 = 0
        var previousName = ""
        for entry in sorted {
            guard entry.localHeaderOffset >= previousEnd else {
                throw .corrupt(file: path, detail: "entries \"\(previousName)\" and \"\(entry.name)\" overlap")
            }
            let (end, overflow) = try dataStart(of: entry).addingReportingOverflow(entry.compressedSize)
            guard !overflow, end <= directoryOffset else {
                throw .corrupt(file: path, detail: "entry \"\(entry.name)\" runs into the central directory")
            }
            previousEnd = end
            previousName = entry.name
        }
    }
}

/// The first fsync failure seen by any of the flushing threads.
private final class SyncFailures: @unchecked Sendable {
    // Safe: `message` is only touched with `lock` held.
    private let lock = NSLock()
    private var message: String?

    func record(_ text: String) { lock.withLock { if message == nil { message = text } } }

    var first: String? { lock.withLock { message } }
}

/// Running totals for one extraction, checked as bytes are produced rather than trusted from headers.
struct ZipBudget {
    let limits: ZipExtractionLimits
    let file: String
    let archiveSize: UInt64
    private(set) var total: UInt64 = 0

    init(limits: ZipExtractionLimits, file: String, archiveSize: UInt64) {
        self.limits = limits
        self.file = file
        self.archiveSize = archiveSize
    }

    mutating func consume(_ count: UInt64, entry: ZipEntry, producedSoFar: UInt64) throws(ZipError) {
        total += count
        guard total <= limits.maxTotalUncompressedBytes else {
            throw .tooLarge(file: file, limit: limits.maxTotalUncompressedBytes)
        }
        if producedSoFar > limits.ratioAppliesAbove,
            producedSoFar / max(entry.compressedSize, 1) > UInt64(limits.maxCompressionRatio)
        {
            throw .compressionRatioExceeded(file: file, entry: entry.name, limit: limits.maxCompressionRatio)
        }
        // Many small entries each under the per-entry threshold still add up: the whole archive has a ratio too.
        if limits.exceedsArchiveRatio(total: total, archiveSize: archiveSize) {
            throw .archiveCompressionRatioExceeded(file: file, limit: limits.maxArchiveCompressionRatio)
        }
    }
}

extension ByteReader {
    /// The first four bytes as a little-endian integer, or nil when too short.
    fileprivate var u32Value: UInt32? {
        var copy = self
        return copy.u32()
    }
}
