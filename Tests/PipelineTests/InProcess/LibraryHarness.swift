import Configuration
import Foundation
import HTTPClient
import Hashing
import ImageLookup
import Imaging
import Jobs
import Library
import LookupFakes
import Pipeline
import TestClock

/// A library root in a temporary folder, driven in process: the engine with the library profile, the test clock for
/// the engine and the lookup pacing alike, and the loopback fakes of the four lookup services.
final class LibraryHarness: Sendable {
    let layout: RootLayout
    let clock = TestClock()
    let log = CapturedLog()
    let fakes: FakeServices

    init(batchSize: Int = 4) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-library-\(UUID().uuidString)")
        layout = RootLayout(root: root)
        try RootInitializer.initialize(layout, profile: .library, userDownloads: nil)
        fakes = try FakeServices()
        let yaml = try String(contentsOf: layout.configFile, encoding: .utf8)
            .replacingOccurrences(of: "  batch_size: 100", with: "  batch_size: \(batchSize)")
            .replacingOccurrences(
                of: "  categories: []",
                with: "  categories:\n    - has: [character]\n      folder: Characters/{character}\n    - has: [copyright]\n      folder: Fanart/{copyright}")
            .replacingOccurrences(of: "  settle_ms: 2000", with: "  settle_ms: 0")
        try yaml.write(to: layout.configFile, atomically: true, encoding: .utf8)
    }

    /// The engine's time source for the lookup pacing: the test clock.
    var time: any TimeSource { ClockTime(clock: clock) }

    func engine() throws -> Engine {
        let clock = self.clock
        let fakes = self.fakes
        let library = LibraryProfile(time: time) { config, layout, time in
            var settings = fakes.settings()
            settings.retry = RetryPolicy(maxAttempts: 1, baseDelay: .seconds(1), maxDelay: .seconds(1))
            let cache = try LookupCache(path: layout.state.appendingPathComponent("lookup.sqlite").path)
            return try LookupSession(settings: settings, cache: cache, time: time, jitter: { 0 })
        }
        return Engine(
            layout: layout, config: try SluiceConfig.load(from: layout.configFile),
            captionRules: { config, layout in try PresetCaptionRules(config: config, root: layout.root) },
            inspectImage: ImageInspection.facts(ofImageAt:), now: { clock.date }, logger: log.logger,
            profiles: [DatasetProfile(), library])
    }

    /// Writes generated PNGs (bytes unique to each seed) into `inbox/<drop>/`; returns their MD5s by name.
    @discardableResult
    func drop(_ name: String, seeds: [UInt64]) throws -> [String: String] {
        let folder = layout.inbox.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var md5s: [String: String] = [:]
        for seed in seeds {
            let path = folder.appendingPathComponent("img-\(seed).png").path
            try ImageEncoder.write(PixelImage.pattern(width: 96, height: 128, seed: seed), as: .png, to: path)
            md5s["img-\(seed).png"] = try FileDigest.hex(of: path, algorithm: .md5)
        }
        return md5s
    }

    /// Looks at every folder and runs every step that can go on, as the root's loop does after an event.
    func work(_ engine: Engine) async throws {
        try await onOwnThread {
            try engine.reconcile { _ in true }
            engine.runUntilIdle()
        }
    }

    func onlyJob() throws -> Job {
        let jobs = try JobStore(stateDirectory: layout.state).all().jobs
        guard jobs.count == 1 else { throw TestFailure("expected one job, found \(jobs.count)") }
        return jobs[0]
    }

    /// Every file under final/, relative, sorted.
    func finalTree() -> [String] {
        let base = layout.final.path
        return (FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: base + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: layout.root) }
}

/// The test clock as the lookup chain's time source: the same hand moves the engine and the SauceNAO pacing.
struct ClockTime: TimeSource {
    let clock: TestClock
    var now: Date { clock.date }
    func sleep(for duration: Duration) async throws { try await clock.sleep(until: clock.now.advanced(by: duration)) }
}
