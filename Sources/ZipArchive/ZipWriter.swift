import Foundation
import Hashing

/// How an entry's bytes are stored: media is already compressed, text deflates well.
public enum ZipCompression: String, Sendable, Equatable, Codable {
    case stored
    case deflated
}

/// Streams files from disk into a zip: stored or deflated entries, zlib CRC-32, UTF-8 names, Zip64 when needed.
///
/// Entries carry the caller's timestamp, so the same files in the same order give byte-identical entries.
/// `finish()` writes the central directory and fsyncs; an unfinished archive has no end record and reads as
/// incomplete. `sync()` makes the entries so far durable, and `init(resuming:…)` continues such an archive after a
/// kill from what an earlier writer reported (`Written`), without rewriting those entries.
public final class ZipWriter {
    /// One file to add: where it is on disk and the name it gets inside the archive.
    public struct Entry: Sendable, Equatable {
        public var sourcePath: String
        public var name: String
        public var compression: ZipCompression
        /// The SHA-256 (lowercase hex) of the source's bytes when the caller already knows it (for a file it hashed
        /// before and knows unchanged since); a writer made with `computesSHA256` reports it instead of hashing again.
        public var knownSHA256: String?

        public init(sourcePath: String, name: String, compression: ZipCompression, knownSHA256: String? = nil) {
            self.sourcePath = sourcePath
            self.name = name
            self.compression = compression
            self.knownSHA256 = knownSHA256
        }
    }

    /// What was written for one entry: enough for a manifest (no second read of the file) and for a later writer
    /// to resume the archive after it (the entry's central directory record).
    public struct Written: Sendable, Equatable, Codable {
        public var name: String
        /// The entry's uncompressed size: the source file's bytes as read.
        public var size: UInt64
        public var crc32: UInt32
        /// SHA-256 (lowercase hex) of the bytes as read, computed while they streamed into the archive; nil unless
        /// the writer was made with `computesSHA256`.
        public var sha256: String?
        public var compression: ZipCompression
        /// The entry's bytes as stored in the archive (after deflate, when deflated).
        public var compressedSize: UInt64
        /// Where the entry's local header starts in the archive.
        public var localHeaderOffset: UInt64
        /// Whether the local header carries Zip64 sizes (streamed entries near 4 GiB or more).
        public var zip64LocalHeader: Bool
    }

    public let path: String
    /// Whether each entry's SHA-256 is computed while its bytes are read (on the read-ahead thread in `addFiles`).
    public let computesSHA256: Bool
    private let file: RawFile
    private let timestamp: DOSTimestamp
    private var offset: UInt64 = 0
    private var pending: [UInt8] = []
    private var records: [ZipCentralRecord] = []
    private var names: Set<String> = []
    private var isFinished = false

    /// Output is gathered into writes of about this size.
    static let writeBufferSize = 4 << 20
    /// Files up to this size are read whole (by a second thread in `addFiles`); larger ones are streamed.
    static let defaultWholeFileLimit: UInt64 = 32 << 20
    /// The whole-file limit this writer uses (tests lower it to exercise streaming cheaply).
    var wholeFileLimit = ZipWriter.defaultWholeFileLimit
    /// Memory the read-ahead thread may hold before it waits for the writer.
    static let readAheadBudget = 96 << 20
    /// A streamed entry at or above this size gets Zip64 sizes in its local header (deflate may grow data a little).
    static let defaultZip64StreamThreshold: UInt64 = 0xFFFF_0000
    /// The Zip64 threshold this writer uses (tests lower it to exercise Zip64 local headers cheaply).
    var zip64StreamThreshold = ZipWriter.defaultZip64StreamThreshold

    /// Creates (or truncates) the archive at `path`.
    public init(path: String, timestamp: DOSTimestamp = .epoch, computesSHA256: Bool = false) throws(ZipError) {
        self.path = path
        self.timestamp = timestamp
        self.computesSHA256 = computesSHA256
        self.file = try RawFile.create(path)
        pending.reserveCapacity(Self.writeBufferSize)
    }

    /// Reopens an unfinished archive at `path` whose first `offset` bytes hold exactly the entries in `written`
    /// (as an earlier writer with the same `timestamp` reported them), cuts off whatever follows, and continues after
    /// them; `finish()` then writes a central directory covering the old entries and the new ones.
    ///
    /// Throws `cannotResume` (and leaves the file as it was) unless the entries lie back to back from offset 0 to
    /// `offset`, each name is valid and unique, the file is at least `offset` bytes long, and each local header in
    /// the file is byte for byte the one this writer would write for that entry.
    public init(
        resuming path: String, at offset: UInt64, written: [Written], timestamp: DOSTimestamp = .epoch,
        computesSHA256: Bool = false
    ) throws(ZipError) {
        self.path = path
        self.timestamp = timestamp
        self.computesSHA256 = computesSHA256
        self.file = try RawFile.openForUpdate(path)
        let size = try file.size()
        guard size >= offset else {
            throw .cannotResume(file: path, detail: "the file has \(size) bytes, fewer than the \(offset) recorded")
        }
        var next: UInt64 = 0
        records.reserveCapacity(written.count)
        for (position, entry) in written.enumerated() {
            do throws(ZipError) { try claim(entry.name) } catch {
                throw .cannotResume(file: path, detail: "entry \(position + 1) has an invalid or repeated name")
            }
            let record = ZipCentralRecord(
                nameBytes: Array(entry.name.utf8),
                method: entry.compression == .stored ? ZipFormat.methodStored : ZipFormat.methodDeflated,
                timestamp: timestamp, crc32: entry.crc32, compressedSize: entry.compressedSize,
                uncompressedSize: entry.size, localHeaderOffset: entry.localHeaderOffset)
            let header = localHeader(for: record, zip64Sizes: entry.zip64LocalHeader)
            let (end, overflow) = next.addingReportingOverflow(UInt64(header.count))
            let (dataEnd, overflow2) = end.addingReportingOverflow(entry.compressedSize)
            guard entry.localHeaderOffset == next, !overflow, !overflow2, dataEnd <= offset else {
                throw .cannotResume(file: path, detail: "entry \(position + 1) (\(entry.name)) is not where the entries before it end")
            }
            guard try file.read(count: header.count, at: next) == header else {
                throw .cannotResume(file: path, detail: "entry \(position + 1) (\(entry.name)) has a different local header in the file")
            }
            records.append(record)
            next = dataEnd
        }
        guard next == offset else {
            throw .cannotResume(file: path, detail: "the entries end at byte \(next), not at the \(offset) recorded")
        }
        try file.truncate(to: offset)
        self.offset = offset
        pending.reserveCapacity(Self.writeBufferSize)
    }

    /// The archive's length so far: where the next entry (or the central directory) starts.
    public var bytesWritten: UInt64 { offset }

    /// Writes what is buffered and fsyncs the file, so every entry added so far is durable; returns the length.
    @discardableResult
    public func sync() throws(ZipError) -> UInt64 {
        try flush()
        try file.sync()
        return offset
    }

    /// Adds one file from disk under `name`.
    @discardableResult
    public func addFile(at sourcePath: String, as name: String, compression: ZipCompression) throws(ZipError) -> Written {
        try claim(name)
        let entry = Entry(sourcePath: sourcePath, name: name, compression: compression)
        switch try Self.prepare(entry, wholeFileLimit: wholeFileLimit, sha256: computesSHA256) {
        case .ready(let prepared): return try write(prepared)
        case .large(let entry): return try stream(entry)
        }
    }

    /// Adds many files in order, reading and checksumming the next files on a second thread while this one writes.
    @discardableResult
    public func addFiles(_ entries: [Entry]) throws(ZipError) -> [Written] {
        for entry in entries { try claim(entry.name) }
        let queue = ReadAheadQueue(budget: Self.readAheadBudget)
        let wholeFileLimit = wholeFileLimit
        let sha256 = computesSHA256
        let reader = Thread {
            for entry in entries {
                if queue.isCancelled { break }
                do throws(ZipError) {
                    queue.push(.success(try Self.prepare(entry, wholeFileLimit: wholeFileLimit, sha256: sha256)))
                } catch {
                    queue.push(.failure(error))
                    break
                }
            }
            queue.finishProducing()
        }
        reader.stackSize = 1 << 20
        reader.start()
        defer {
            queue.cancel()
            queue.waitForProducer()
        }
        var written: [Written] = []
        written.reserveCapacity(entries.count)
        while let item = queue.pop() {
            switch item {
            case .success(.ready(let prepared)): written.append(try write(prepared))
            case .success(.large(let entry)): written.append(try stream(entry))
            case .failure(let error): throw error
            }
        }
        return written
    }

    /// Adds an entry from bytes in memory (generated files, tests).
    @discardableResult
    public func addData(_ bytes: [UInt8], as name: String, compression: ZipCompression) throws(ZipError) -> Written {
        try claim(name)
        return try write(Self.prepare(bytes: bytes, name: name, compression: compression, sha256: computesSHA256))
    }

    /// Writes the central directory (Zip64 records when counts or offsets need them), flushes and fsyncs the file.
    public func finish() throws(ZipError) {
        precondition(!isFinished, "ZipWriter.finish() called twice for \(path)")
        isFinished = true
        let directoryOffset = offset
        for record in records { try append(record.encoded()) }
        let directorySize = offset - directoryOffset
        let count = UInt64(records.count)
        var end = ByteWriter()
        if count >= ZipFormat.max16 || directoryOffset >= ZipFormat.max32 || directorySize >= ZipFormat.max32 {
            let zip64EndOffset = offset
            end.u32(ZipFormat.zip64EndSignature)
            end.u64(UInt64(ZipFormat.zip64EndSize - 12))
            end.u16(ZipFormat.versionMadeBy)
            end.u16(ZipFormat.versionNeededZip64)
            end.u32(0)
            end.u32(0)
            end.u64(count)
            end.u64(count)
            end.u64(directorySize)
            end.u64(directoryOffset)
            end.u32(ZipFormat.zip64LocatorSignature)
            end.u32(0)
            end.u64(zip64EndOffset)
            end.u32(1)
        }
        end.u32(ZipFormat.endOfCentralDirectorySignature)
        end.u16(0)
        end.u16(0)
        end.u16(UInt16(min(count, ZipFormat.max16)))
        end.u16(UInt16(min(count, ZipFormat.max16)))
        end.u32(UInt32(min(directorySize, ZipFormat.max32)))
        end.u32(UInt32(min(directoryOffset, ZipFormat.max32)))
        end.u16(0)
        try append(end.bytes)
        try flush()
        try file.sync()
        try file.close()
    }

    // MARK: - Names

    /// Accepts a relative, slash-separated name once; rejects anything a safe reader would refuse.
    private func claim(_ name: String) throws(ZipError) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        let valid =
            !name.isEmpty && !name.hasPrefix("/") && !name.contains("\\") && name.utf8.count <= 0xFFFF
            && !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." }
        guard valid, names.insert(name).inserted else { throw .invalidName(file: path, name: name) }
    }

    // MARK: - Preparing entries (may run on the read-ahead thread)

    /// An entry ready to write: checksummed and, when asked, deflated.
    struct Prepared {
        var name: String
        var method: UInt16
        var crc32: UInt32
        var uncompressedSize: UInt64
        var sha256: String?
        var payload: [UInt8]
    }

    enum Preparation {
        case ready(Prepared)
        /// Too large to hold in memory; the writer streams it.
        case large(Entry)

        var memoryCost: Int {
            if case .ready(let prepared) = self { return prepared.payload.count }
            return 0
        }
    }

    static func prepare(_ entry: Entry, wholeFileLimit: UInt64, sha256: Bool) throws(ZipError) -> Preparation {
        let source = try RawFile.openForReading(entry.sourcePath)
        let size = try source.size()
        guard size <= wholeFileLimit else { return .large(entry) }
        let count = Int(size)
        var failure: ZipError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(ZipError) {
                initialized = try source.read(into: UnsafeMutableRawBufferPointer(buffer), at: 0)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        let grew = try source.read(count: 1, at: size)
        guard bytes.count == count, grew.isEmpty else {
            throw .io(file: entry.sourcePath, detail: "the file changed size while it was being zipped")
        }
        var prepared = prepare(
            bytes: bytes, name: entry.name, compression: entry.compression, sha256: sha256 && entry.knownSHA256 == nil)
        if sha256, let known = entry.knownSHA256 { prepared.sha256 = known }
        return .ready(prepared)
    }

    static func prepare(bytes: [UInt8], name: String, compression: ZipCompression, sha256: Bool) -> Prepared {
        let crc = Zlib.crc32(bytes)
        let digest = sha256 ? bytes.withUnsafeBytes { buffer in
            let digest = StreamingDigest(.sha256)
            digest.update(buffer)
            return digest.finishHex()
        } : nil
        switch compression {
        case .stored:
            return Prepared(
                name: name, method: ZipFormat.methodStored, crc32: crc, uncompressedSize: UInt64(bytes.count),
                sha256: digest, payload: bytes)
        case .deflated:
            let deflated = bytes.withUnsafeBytes { Zlib.deflate($0) }
            return Prepared(
                name: name, method: ZipFormat.methodDeflated, crc32: crc, uncompressedSize: UInt64(bytes.count),
                sha256: digest, payload: deflated)
        }
    }

    // MARK: - Writing

    private func write(_ prepared: Prepared) throws(ZipError) -> Written {
        let record = ZipCentralRecord(
            nameBytes: Array(prepared.name.utf8), method: prepared.method, timestamp: timestamp,
            crc32: prepared.crc32, compressedSize: UInt64(prepared.payload.count),
            uncompressedSize: prepared.uncompressedSize, localHeaderOffset: offset)
        try append(localHeader(for: record, zip64Sizes: false))
        try append(prepared.payload)
        records.append(record)
        return Written(
            name: prepared.name, size: prepared.uncompressedSize, crc32: prepared.crc32, sha256: prepared.sha256,
            compression: prepared.method == ZipFormat.methodStored ? .stored : .deflated,
            compressedSize: record.compressedSize, localHeaderOffset: record.localHeaderOffset, zip64LocalHeader: false)
    }

    /// Streams a large file: header first, data in chunks, then CRC and sizes patched into the header.
    private func stream(_ entry: Entry) throws(ZipError) -> Written {
        let source = try RawFile.openForReading(entry.sourcePath)
        let zip64Sizes = try source.size() >= zip64StreamThreshold
        let method = entry.compression == .stored ? ZipFormat.methodStored : ZipFormat.methodDeflated
        var record = ZipCentralRecord(
            nameBytes: Array(entry.name.utf8), method: method, timestamp: timestamp, crc32: 0,
            compressedSize: 0, uncompressedSize: 0, localHeaderOffset: offset)
        try append(localHeader(for: record, zip64Sizes: zip64Sizes))
        try flush()

        var crc: UInt32 = 0
        var readTotal: UInt64 = 0
        let dataStart = offset
        let deflater = entry.compression == .deflated ? Deflater() : nil
        let digest = computesSHA256 && entry.knownSHA256 == nil ? StreamingDigest(.sha256) : nil
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.writeBufferSize, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let got = try source.read(into: chunk)
            let data = UnsafeRawBufferPointer(rebasing: chunk[0..<got])
            crc = Zlib.crc32(crc, data)
            digest?.update(data)
            readTotal += UInt64(got)
            if let deflater {
                try deflater.compress(data, finish: got == 0) { (out) throws(ZipError) in try writeDirect(out) }
            } else {
                try writeDirect(data)
            }
            if got == 0 { break }
        }
        record.crc32 = crc
        record.uncompressedSize = readTotal
        record.compressedSize = offset - dataStart
        if !zip64Sizes && (record.compressedSize >= ZipFormat.max32 || record.uncompressedSize >= ZipFormat.max32) {
            throw .io(file: entry.sourcePath, detail: "the file grew past 4 GiB while it was being zipped")
        }
        var patch = ByteWriter()
        patch.u32(crc)
        try file.write(patch.bytes, at: record.localHeaderOffset + 14)
        patch = ByteWriter()
        if zip64Sizes {
            patch.u64(record.uncompressedSize)
            patch.u64(record.compressedSize)
            try file.write(patch.bytes, at: record.localHeaderOffset + 30 + UInt64(record.nameBytes.count) + 4)
        } else {
            patch.u32(UInt32(record.compressedSize))
            patch.u32(UInt32(record.uncompressedSize))
            try file.write(patch.bytes, at: record.localHeaderOffset + 18)
        }
        records.append(record)
        return Written(
            name: entry.name, size: readTotal, crc32: crc,
            sha256: computesSHA256 ? entry.knownSHA256 ?? digest?.finishHex() : nil, compression: entry.compression,
            compressedSize: record.compressedSize, localHeaderOffset: record.localHeaderOffset, zip64LocalHeader: zip64Sizes)
    }

    private func localHeader(for record: ZipCentralRecord, zip64Sizes: Bool) -> [UInt8] {
        var out = ByteWriter()
        out.bytes.reserveCapacity(ZipFormat.localHeaderSize + record.nameBytes.count + 20)
        out.u32(ZipFormat.localHeaderSignature)
        out.u16(zip64Sizes ? ZipFormat.versionNeededZip64 : ZipFormat.versionNeeded)
        out.u16(record.flags)
        out.u16(record.method)
        out.u16(record.timestamp.time)
        out.u16(record.timestamp.date)
        out.u32(record.crc32)
        out.u32(zip64Sizes ? UInt32.max : UInt32(record.compressedSize))
        out.u32(zip64Sizes ? UInt32.max : UInt32(record.uncompressedSize))
        out.u16(UInt16(record.nameBytes.count))
        out.u16(zip64Sizes ? 20 : 0)
        out.append(record.nameBytes)
        if zip64Sizes {
            out.u16(ZipFormat.zip64ExtraID)
            out.u16(16)
            out.u64(record.uncompressedSize)
            out.u64(record.compressedSize)
        }
        return out.bytes
    }

    /// Buffers small writes; large payloads go straight to the file after what is buffered.
    private func append(_ bytes: [UInt8]) throws(ZipError) {
        if pending.count + bytes.count <= Self.writeBufferSize {
            pending.append(contentsOf: bytes)
            offset += UInt64(bytes.count)
            return
        }
        try flush()
        try file.write(bytes)
        offset += UInt64(bytes.count)
    }

    private func writeDirect(_ bytes: UnsafeRawBufferPointer) throws(ZipError) {
        try flush()
        try file.write(bytes)
        offset += UInt64(bytes.count)
    }

    private func flush() throws(ZipError) {
        guard !pending.isEmpty else { return }
        try file.write(pending)
        pending.removeAll(keepingCapacity: true)
    }
}

/// A bounded hand-over from the read-ahead thread to the writer, limited by the bytes it holds.
private final class ReadAheadQueue: @unchecked Sendable {
    // Safe: every mutable field is only touched with `condition` locked.
    typealias Item = Result<ZipWriter.Preparation, ZipError>

    private let condition = NSCondition()
    private let budget: Int
    private var items: [Item?] = []
    private var head = 0
    private var bytesHeld = 0
    private var producing = true
    private var cancelled = false

    init(budget: Int) { self.budget = budget }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Waits while the queue holds its budget (unless it is empty, so one oversized item still passes).
    func push(_ item: Item) {
        let cost = (try? item.get().memoryCost) ?? 0
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && head < items.count && bytesHeld + cost > budget { condition.wait() }
        guard !cancelled else { return }
        items.append(item)
        bytesHeld += cost
        condition.broadcast()
    }

    /// The next item in order, or nil once the producer is done and everything was taken.
    func pop() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && producing { condition.wait() }
        guard head < items.count, let item = items[head] else { return nil }
        items[head] = nil  // hand the bytes over; the slot is reused once the queue drains
        head += 1
        bytesHeld -= (try? item.get().memoryCost) ?? 0
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        condition.broadcast()
        return item
    }

    func finishProducing() {
        condition.lock()
        producing = false
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    func waitForProducer() {
        condition.lock()
        while producing { condition.wait() }
        condition.unlock()
    }
}
