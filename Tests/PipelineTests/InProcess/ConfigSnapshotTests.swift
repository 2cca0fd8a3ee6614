import Configuration
import Foundation
import Jobs
import Pipeline
import Testing

/// A job keeps the config it started with, across upgrades that add keys.
@Suite struct ConfigSnapshotTests {
    /// The snapshot JSON as an older version wrote it: without `index.batch_size` and without the `lookup` section.
    static func olderSnapshot(repeats: Int) throws -> String {
        var config = SluiceConfig()
        config.final.repeats = repeats
        config.final.layout = .kohya
        config.pipeline.autoApproveReview = true
        var object = try #require(try JSONSerialization.jsonObject(with: Data(ConfigSnapshot.encode(config).utf8)) as? [String: Any])
        var index = try #require(object["index"] as? [String: Any])
        #expect(index.removeValue(forKey: "batchSize") != nil, "the key this test removes exists: \(index.keys.sorted())")
        object["index"] = index
        #expect(object.removeValue(forKey: "lookup") != nil)
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func aSnapshotWrittenBeforeAKeyExistedDecodesWithItsDefault() throws {
        let decoded = try ConfigSnapshot.decode(try Self.olderSnapshot(repeats: 3))
        #expect(decoded.final.repeats == 3, "the snapshot's own values stay")
        #expect(decoded.index.batchSize == SluiceConfig().index.batchSize, "the missing key takes its default")
        #expect(decoded.lookup == SluiceConfig().lookup, "a missing section takes its defaults")
    }

    @Test func aMalformedSnapshotIsAnErrorNotTheLiveConfig() {
        #expect(throws: ConfigSnapshot.Unreadable.self) { try ConfigSnapshot.decode("{\"final\": {\"repeats\": \"many\"}}") }
    }

    @Test func aJobWithAnOlderSnapshotRunsWithItsOwnValues() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0")
            defer { harness.remove() }
            let engine = try harness.engine()
            try harness.drop("old", images: 2)
            try engine.reconcile { _ in true }
            var job = try harness.onlyJob()
            job.configSnapshot = try Self.olderSnapshot(repeats: 7)
            try JobStore(stateDirectory: harness.layout.state).save(job)

            engine.runUntilIdle()
            #expect(try harness.onlyJob().status == .completed, "\(harness.log.text)")
            let zip = try #require(harness.finalZips().first)
            let names = try ZipInspection.contents(of: zip).keys
            #expect(names.allSatisfy { $0.hasPrefix("7_old/") }, "repeats from the job's snapshot: \(names.sorted())")
        }
    }

    @Test func changesNameEveryKeyThatDiffers() {
        var new = SluiceConfig()
        new.watch.settleMilliseconds = 50
        new.final.repeats = 4
        let changes = ConfigSnapshot.changes(from: SluiceConfig(), to: new)
        #expect(changes.count == 2, "\(changes)")
        #expect(changes.contains { $0.hasPrefix("watch.") && $0.contains("2000 → 50") }, "\(changes)")
    }
}
