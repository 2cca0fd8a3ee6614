import Configuration
import Foundation
import Jobs
import Logging
import Pipeline
import Synchronization
import TestClock

/// A real root in a temporary folder, driven in process: an engine with the test clock and a log the test reads.
final class EngineHarness: Sendable {
    let layout: RootLayout
    let clock = TestClock()
    let log = CapturedLog()

    init(config overrides: String, parent: URL = FileManager.default.temporaryDirectory) throws {
        let root = parent.appendingPathComponent("sluice-engine-\(UUID().uuidString)")
        layout = RootLayout(root: root)
        try RootInitializer.initialize(layout, userDownloads: nil)
        try write(config: overrides)
    }

    /// Rewrites sluice.yaml as the defaults with `section.key: value` overrides.
    func write(config overrides: String) throws {
        let text = TestRoot.apply(overrides, to: DefaultConfigFile.text(extraDownloadDirectories: []))
        try text.write(to: layout.configFile, atomically: true, encoding: .utf8)
    }

    func config() throws -> SluiceConfig { try SluiceConfig.load(from: layout.configFile) }

    func engine(config: SluiceConfig? = nil) throws -> Engine {
        let clock = self.clock
        return Engine(
            layout: layout, config: try config ?? self.config(),
            captionRules: { config, layout in try PresetCaptionRules(config: config, root: layout.root) },
            inspectImage: ImageInspection.facts(ofImageAt:), now: { clock.date }, logger: log.logger)
    }

    /// A booru-style dataset of `images` PNGs moved into `folder` (inbox or reviewed).
    @discardableResult
    func drop(_ name: String, images: Int = 3, into folder: String = "inbox") throws -> URL {
        let source = try TestDatasets.booru(named: name, images: images, in: FileManager.default.temporaryDirectory)
        let target = layout.root.appendingPathComponent(folder).appendingPathComponent(name)
        try FileManager.default.moveItem(at: source, to: target)
        try? FileManager.default.removeItem(at: source.deletingLastPathComponent())
        return target
    }

    func jobs() throws -> [Job] { try JobStore(stateDirectory: layout.state).all().jobs }

    func onlyJob() throws -> Job {
        let jobs = try jobs()
        guard jobs.count == 1 else { throw TestFailure("expected one job, found \(jobs.count)") }
        return jobs[0]
    }

    func request(_ action: ControlRequest.Action, for job: Job) throws {
        try ControlQueue(stateDirectory: layout.state).submit(
            ControlRequest(jobID: job.id, action: action, requestedAt: Date(), origin: "test"))
    }

    func touch(_ relativePath: String) {
        _ = FileManager.default.createFile(atPath: layout.root.appendingPathComponent(relativePath).path, contents: nil)
    }

    func finalZips() -> [URL] {
        let folder = layout.root.appendingPathComponent("final")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".zip") }.map { folder.appendingPathComponent($0) }
    }

    func remove() { try? FileManager.default.removeItem(at: layout.root) }
}

/// Every line logged through a `Logger`, for assertions.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "sluice-test") { _ in Handler(sink: self) }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func contains(_ fragment: String) -> Bool { lines.withLock { $0.contains { $0.contains(fragment) } } }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let sink: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let job = event.metadata?["job"].map { "[\($0)] " } ?? ""
            sink.append("\(event.level) \(job)\(event.message)")
        }
    }
}
