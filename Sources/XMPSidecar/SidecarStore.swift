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
        image.deletingLastPathComponent().appendingPathComponent(image.lastPathComponent + ".xmp")
    }

    /// `<image>.xmp`, the older Lightroom-style name, read when the current one is missing.
    public static func legacySidecarURL(forImage image: URL) -> URL {
        image.deletingPathExtension().appendingPathExtension("xmp")
    }

    /// The sidecar's contents, from the current name else the legacy one; nil when the image has none.
    public func read(forImage image: URL) throws(SidecarError) -> SidecarContents? {
        try loadExisting(forImage: image)?.packet.contents
    }

    /// Merges `update` into the image's sidecar and writes it atomically, flushed as `durability` says.
    /// - Parameters:
    ///   - force: write even when Sluice's marker says the image was processed already.
    ///   - date: the processing date recorded in the marker.
    public func write(
        _ update: SidecarUpdate, forImage image: URL, force: Bool = false, date: Date = Date()
    ) throws(SidecarError) -> Outcome {
        let target = Self.sidecarURL(forImage: image)
        switch try decide(update, forImage: image, force: force, marker: marker(at: date)) {
        case .unchanged: return .unchanged
        case .skippedAlreadyProcessed: return .skippedAlreadyProcessed
        case .write(let bytes, let isNew):
            do {
                switch durability {
                case .flushed:
                    try FileOperations.writeAtomically(Data(bytes), to: target)
                case .renameOnly:
                    let temporary = Self.temporaryURL(for: target, index: 0)
                    try Self.stage(bytes, at: temporary, for: target)
                    do { try FileOperations.rename(temporary.path, to: target.path) } catch {
                        try? FileManager.default.removeItem(at: temporary)
                        throw error
                    }
                }
            } catch let error as SidecarError {
                throw error
            } catch {
                throw .cannotWrite(path: target.path, reason: "\(error)")
            }
            return isNew ? .created : .updated
        }
    }

    private static func temporaryURL(for target: URL, index: Int) -> URL {
        target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())-\(index)-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Writes many sidecars, staging them all before flushing, so the flushes of a batch overlap.
    ///
    /// Each sidecar is still replaced atomically (temp file, fsync when `.flushed`, rename), and each folder
    /// is flushed once at the end. A failure affects only its own image.
    public func writeAll(
        _ updates: [(image: URL, update: SidecarUpdate)], force: Bool = false, date: Date = Date()
    ) -> [Result<Outcome, SidecarError>] {
        let marker = self.marker(at: date)
        var results: [Result<Outcome, SidecarError>] = []
        results.reserveCapacity(updates.count)
        var staged: [(index: Int, temporary: URL, target: URL)] = []
        for (index, item) in updates.enumerated() {
            let target = Self.sidecarURL(forImage: item.image)
            do {
                switch try decide(item.update, forImage: item.image, force: force, marker: marker) {
                case .unchanged: results.append(.success(.unchanged))
                case .skippedAlreadyProcessed: results.append(.success(.skippedAlreadyProcessed))
                case .write(let bytes, let isNew):
                    let temporary = Self.temporaryURL(for: target, index: index)
                    try Self.stage(bytes, at: temporary, for: target)
                    staged.append((index, temporary, target))
                    results.append(.success(isNew ? .created : .updated))
                }
            } catch {
                results.append(.failure(error))
            }
        }
        var folders = Set<String>()
        for entry in staged {
            do {
                if durability == .flushed { try FileOperations.syncFile(at: entry.temporary.path) }
                try FileOperations.rename(entry.temporary.path, to: entry.target.path)
                folders.insert(entry.target.deletingLastPathComponent().path)
            } catch {
                try? FileManager.default.removeItem(at: entry.temporary)
                results[entry.index] = .failure(.cannotWrite(path: entry.target.path, reason: "\(error)"))
            }
        }
        for folder in folders.sorted() where durability == .flushed {
            do {
                try FileOperations.syncDirectory(at: folder)
            } catch {
                for entry in staged where entry.target.deletingLastPathComponent().path == folder {
                    results[entry.index] = .failure(.cannotWrite(path: entry.target.path, reason: "\(error)"))
                }
            }
        }
        return results
    }

    private static func stage(_ bytes: [UInt8], at temporary: URL, for target: URL) throws(SidecarError) {
        do {
            try Data(bytes).write(to: temporary, options: .withoutOverwriting)
        } catch {
            throw .cannotWrite(path: target.path, reason: (error as NSError).localizedDescription)
        }
    }

    private func decide(
        _ update: SidecarUpdate, forImage image: URL, force: Bool, marker: ProcessedMarker
    ) throws(SidecarError) -> SidecarMerge.Decision {
        let existing = try loadExisting(forImage: image)
        return SidecarMerge.decide(
            existing: existing?.packet, existingIsCurrentName: existing?.isCurrentName ?? false, update: update,
            force: force, marker: marker, toolkit: "Sluice \(toolVersion)")
    }

    private func loadExisting(forImage image: URL) throws(SidecarError) -> (packet: XMPPacket, isCurrentName: Bool)? {
        for (url, isCurrentName) in [(Self.sidecarURL(forImage: image), true), (Self.legacySidecarURL(forImage: image), false)] {
            guard let bytes = try Self.bytesIfPresent(at: url) else { continue }
            do {
                return (try XMPPacket(parsing: bytes), isCurrentName)
            } catch {
                switch error {
                case .notXML(let line, let message): throw .malformed(path: url.path, line: line, message: message)
                case .noRDF: throw .notXMP(path: url.path)
                }
            }
        }
        return nil
    }

    private static func bytesIfPresent(at url: URL) throws(SidecarError) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            if !FileManager.default.fileExists(atPath: url.path) { return nil }
            throw .cannotRead(path: url.path, reason: "permission denied or not a file")
        }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw .cannotRead(path: url.path, reason: (error as NSError).localizedDescription)
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
