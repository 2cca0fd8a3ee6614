import Foundation
import SystemIO

/// Reads and writes `<image>.<ext>.xmp` sidecars next to images, atomically, keeping what other tools wrote.
public struct SidecarStore: Sendable {
    /// How a write ended.
    public enum Outcome: String, Equatable, Sendable, Codable {
        case created
        case updated
        /// The sidecar already held everything; the file was not touched.
        case unchanged
        /// Sluice's marker was present and the write was not forced.
        case skippedAlreadyProcessed
    }

    /// How hard a write works to survive a power cut; every write is atomic either way (temp file, rename).
    public enum Durability: Sendable {
        /// fsync the sidecar before the rename and its folder after it (the default).
        case flushed
        /// Rename only, as exiftool does: readers never see half a file, but a crash may lose recent writes.
        case renameOnly
    }

    /// Written into the processed marker and the packet's `x:xmptk`.
    public var toolVersion: String
    public var durability: Durability

    public static let defaultToolVersion = "0.1.0"

    public init(toolVersion: String = SidecarStore.defaultToolVersion, durability: Durability = .flushed) {
        self.toolVersion = toolVersion
        self.durability = durability
    }

    /// `<image>.<ext>.xmp`, the digiKam/darktable name (a.jpg and a.png do not clash).
    public static func sidecarURL(forImage image: URL) -> URL {
        URL(fileURLWithPath: SidecarPaths(image: image.path).current)
    }

    /// `<image>.xmp`, the older Lightroom-style name, read when the current one is missing.
    public static func legacySidecarURL(forImage image: URL) -> URL {
        URL(fileURLWithPath: SidecarPaths(image: image.path).legacy)
    }

    /// The sidecar's contents, from the current name else the legacy one; nil when the image has none.
    public func read(forImage image: URL) throws(SidecarError) -> SidecarContents? {
        try loadExisting(SidecarPaths(image: image.path))?.packet.contents
    }

    /// Merges `update` into the image's sidecar and writes it atomically, flushed as `durability` says.
    /// - Parameters:
    ///   - force: write even when Sluice's marker says the image was processed already.
    ///   - date: the processing date recorded in the marker.
    public func write(
        _ update: SidecarUpdate, forImage image: URL, force: Bool = false, date: Date = Date()
    ) throws(SidecarError) -> Outcome {
        let paths = SidecarPaths(image: image.path)
        switch try decide(update, paths: paths, force: force, marker: marker(at: date)) {
        case .unchanged: return .unchanged
        case .skippedAlreadyProcessed: return .skippedAlreadyProcessed
        case .write(let bytes, let isNew):
            switch durability {
            case .flushed:
                do {
                    try FileOperations.writeAtomically(Data(bytes), to: URL(fileURLWithPath: paths.current))
                } catch {
                    throw .cannotWrite(path: paths.current, reason: "\(error)")
                }
            case .renameOnly:
                let temporary = paths.temporary(index: 0, processID: getpid())
                try Self.stage(bytes, at: temporary, for: paths.current)
                do {
                    try FileOperations.rename(temporary, to: paths.current)
                } catch {
                    try? FileManager.default.removeItem(atPath: temporary)
                    throw .cannotWrite(path: paths.current, reason: "\(error)")
                }
            }
            return isNew ? .created : .updated
        }
    }

    /// Writes many sidecars as one `DurableBatch`: merged on every core, each still replaced atomically (temp
    /// file, rename), all flushed together before the renames (when `.flushed`) and each folder fsynced once.
    /// A failure affects only its own image.
    public func writeAll(
        _ updates: [(image: URL, update: SidecarUpdate)], force: Bool = false, date: Date = Date()
    ) -> [Result<Outcome, SidecarError>] {
        let marker = self.marker(at: date)
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let decisions = WorkerPool.map(count: updates.count, threads: threads) { index in
            let paths = SidecarPaths(image: updates[index].image.path)
            return (paths, Result { () throws(SidecarError) in
                try decide(updates[index].update, paths: paths, force: force, marker: marker)
            })
        }
        var results: [Result<Outcome, SidecarError>] = []
        results.reserveCapacity(updates.count)
        var writes: [DurableBatch.Write] = []
        var written: [Int] = []
        for (index, (paths, decision)) in decisions.enumerated() {
            switch decision {
            case .failure(let error): results.append(.failure(error))
            case .success(.unchanged): results.append(.success(.unchanged))
            case .success(.skippedAlreadyProcessed(_)): results.append(.success(.skippedAlreadyProcessed))
            case .success(.write(let bytes, let isNew)):
                writes.append(DurableBatch.Write(path: paths.current, bytes: bytes))
                written.append(index)
                results.append(.success(isNew ? .created : .updated))
            }
        }
        let batch = DurableBatch(flush: durability == .flushed ? .syncFileSystem : .renameOnly, threads: threads)
        for (position, outcome) in batch.write(writes).enumerated() {
            if let outcome { results[written[position]] = .failure(.cannotWrite(path: writes[position].path, reason: "\(outcome)")) }
        }
        return results
    }

    /// Writes `bytes` to a fresh temp file (never an existing one), unflushed.
    private static func stage(_ bytes: [UInt8], at temporary: String, for target: String) throws(SidecarError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: temporary), options: .withoutOverwriting)
        } catch {
            throw .cannotWrite(path: target, reason: (error as NSError).localizedDescription)
        }
    }

    private func decide(
        _ update: SidecarUpdate, paths: SidecarPaths, force: Bool, marker: ProcessedMarker
    ) throws(SidecarError) -> SidecarMerge.Decision {
        let existing = try loadExisting(paths)
        return SidecarMerge.decide(
            existing: existing?.packet, existingIsCurrentName: existing?.isCurrentName ?? false, update: update,
            force: force, marker: marker, toolkit: "Sluice \(toolVersion)")
    }

    private func loadExisting(_ paths: SidecarPaths) throws(SidecarError) -> (packet: XMPPacket, isCurrentName: Bool)? {
        for (path, isCurrentName) in [(paths.current, true), (paths.legacy, false)] {
            guard let bytes = try Self.bytesIfPresent(at: path) else { continue }
            do {
                return (try XMPPacket(parsing: bytes), isCurrentName)
            } catch {
                switch error {
                case .notXML(let line, let message): throw .malformed(path: path, line: line, message: message)
                case .noRDF: throw .notXMP(path: path)
                }
            }
        }
        return nil
    }

    /// Far above any real sidecar (a few KB; exiftool's largest are a few hundred KB), far below trouble.
    public static let maximumSidecarBytes = 16 << 20

    /// A sidecar's bytes; regular files only and at most `maximumSidecarBytes`, so a FIFO, `/dev/zero` or a
    /// symlink named like a sidecar is refused at once instead of hanging or reading without end.
    private static func bytesIfPresent(at path: String) throws(SidecarError) -> [UInt8]? {
        do {
            return [UInt8](try RegularFileReader.read(path, maxBytes: maximumSidecarBytes))
        } catch {
            if case .system(let failure) = error, failure.errno == ENOENT { return nil }
            throw .cannotRead(path: path, reason: "\(error)")
        }
    }

    private func marker(at date: Date) -> ProcessedMarker {
        ProcessedMarker(version: toolVersion, date: Self.timestamp(date))
    }

    /// `2026-11-22T02:30:51Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}
