import Foundation
import SystemIO

/// Reads and writes job files under `ROOT/.sluice/jobs/`, each write atomic and durable (`DurableBatch`).
public struct JobStore: Sendable {
    public let directory: URL

    public init(stateDirectory: URL) {
        self.directory = stateDirectory.appendingPathComponent("jobs", isDirectory: true)
    }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case newerSchema(path: String, version: Int)
        case noSuchJob(String)
        case ambiguous(String, matches: [String])

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "\(path): cannot read job file: \(reason)"
            case .newerSchema(let path, let version):
                "\(path): job schema version \(version) is newer than this sluice understands (\(Job.schemaVersion)); upgrade sluice"
            case .noSuchJob(let id): "no job named '\(id)' (see `sluice status`)"
            case .ambiguous(let reference, let matches):
                "'\(reference)' is ambiguous: it names \(matches.count) jobs (\(matches.joined(separator: ", "))); use a longer id prefix"
            }
        }
    }

    public func folder(of id: String) -> URL { directory.appendingPathComponent(id, isDirectory: true) }

    private func file(of id: String) -> URL { folder(of: id).appendingPathComponent("job.json") }

    /// Replaces the job file through `DurableBatch`, Sluice's one way to write files durably: a temp, fsynced,
    /// renamed over `job.json`, then the folder fsynced (a kill leaves the old file or the new one, never half).
    public func save(_ job: Job) throws {
        try FileManager.default.createDirectory(at: folder(of: job.id), withIntermediateDirectories: true)
        let write = DurableBatch.Write(path: file(of: job.id).path, bytes: Array(try Self.encoder.encode(job)))
        if let failure = Self.durability.write([write])[0] { throw failure }
    }

    /// One file, flushed by its own fsync (a file-system-wide flush would cost more for a single write).
    private static let durability = DurableBatch(flush: .fsyncEach, threads: 1)

    public func load(_ id: String) throws -> Job {
        let url = file(of: id)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Failure.noSuchJob(id) }
        return try Self.decode(at: url)
    }

    /// Every job, oldest first; a job file that cannot be read is reported, not skipped silently.
    public func all() throws -> (jobs: [Job], problems: [Failure]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return ([], []) }
        var jobs: [Job] = []
        var problems: [Failure] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = file(of: name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            do { jobs.append(try Self.decode(at: url)) } catch let failure as Failure { problems.append(failure) }
        }
        return (jobs.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }, problems)
    }

    /// Finds a job by exact id, or by a unique prefix or dataset name, as a user types it.
    public func resolve(_ reference: String) throws -> Job {
        let jobs = try all().jobs
        if let exact = jobs.first(where: { $0.id == reference }) { return exact }
        let matches = jobs.filter { $0.id.hasPrefix(reference) || $0.dataset == reference }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw Failure.ambiguous(reference, matches: matches.map(\.id)) }
        throw Failure.noSuchJob(reference)
    }

    /// A new job id: the local time (`Timestamp.fileStamp`), then the dataset's name made safe for a folder.
    public func newID(dataset: String, now: Date) -> String {
        let slug = String(dataset.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(48))
        let base = "\(Timestamp.fileStamp(now))-\(slug)"
        var candidate = base
        var counter = 2
        while FileManager.default.fileExists(atPath: folder(of: candidate).path) {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        return candidate
    }

    private static func decode(at url: URL) throws -> Job {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw Failure.unreadable(path: url.path, reason: error.localizedDescription)
        }
        struct Version: Decodable { let schemaVersion: Int }
        if let version = try? decoder.decode(Version.self, from: data), version.schemaVersion > Job.schemaVersion {
            throw Failure.newerSchema(path: url.path, version: version.schemaVersion)
        }
        do {
            var job = try decoder.decode(Job.self, from: data)
            job.artifacts.adoptLegacyExtras()
            return job
        } catch {
            throw Failure.unreadable(path: url.path, reason: "\(error)")
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = Timestamp.encodingStrategy
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = Timestamp.decodingStrategy
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}
