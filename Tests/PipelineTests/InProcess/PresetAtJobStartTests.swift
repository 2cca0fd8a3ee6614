import Foundation
import Hashing
import Jobs
import Pipeline
import Testing

/// The preset is resolved once when a job starts: later edits to the file do not change the job.
@Suite struct PresetAtJobStartTests {
    /// A root whose `presets/mine.json` is the shipped anime preset with `trigger_word` set.
    static func harness(trigger: String) throws -> EngineHarness {
        let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0\npipeline.auto_approve_review: true\nnormalize.preset: mine")
        let presets = harness.layout.root.appendingPathComponent("presets")
        try FileManager.default.createDirectory(at: presets, withIntermediateDirectories: true)
        try write(trigger: trigger, to: presets.appendingPathComponent("mine.json"))
        return harness
    }

    static func write(trigger: String, to file: URL) throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../presets/anime.json").standardizedFileURL
        let text = try String(contentsOf: shipped, encoding: .utf8)
            .replacingOccurrences(of: "\"name\": \"anime\"", with: "\"name\": \"mine\"")
            .replacingOccurrences(of: "\"trigger_word\": null", with: "\"trigger_word\": \"\(trigger)\"")
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    @Test func editingThePresetMidJobChangesNothingAndTheManifestRecordsIt() async throws {
        try await onOwnThread {
            let harness = try Self.harness(trigger: "firststyle")
            defer { harness.remove() }
            let engine = try harness.engine()
            try harness.drop("fixed", images: 2)
            try engine.reconcile { _ in true }
            #expect(engine.runUntilIdle(limit: 1) == 1, "adopt ran and fixed the preset")
            let started = try harness.onlyJob()
            let record = try #require(started.preset)
            #expect(record.name == "mine")
            let frozen = JobFolder(JobStore(stateDirectory: harness.layout.state).folder(of: started.id)).preset
            #expect(record.sha256 == (try FileDigest.hex(of: frozen.path)))

            try Self.write(trigger: "secondstyle", to: harness.layout.root.appendingPathComponent("presets/mine.json"))
            engine.runUntilIdle()
            #expect(try harness.onlyJob().status == .completed, "\(harness.log.text)")
            let zip = try #require(harness.finalZips().first)
            let captions = try ZipInspection.contents(of: zip).filter { $0.key.hasSuffix(".txt") }.values.map { String(decoding: $0, as: UTF8.self) }
            #expect(!captions.isEmpty && captions.allSatisfy { $0.contains("firststyle") && !$0.contains("secondstyle") }, "\(captions)")

            let manifestURL = URL(fileURLWithPath: try #require(try harness.onlyJob().artifacts.manifest))
            let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
            #expect(manifest["preset"] as? String == "mine")
            #expect(manifest["presetSHA256"] as? String == record.sha256 || manifest["preset_sha256"] as? String == record.sha256, "\(manifest.keys.sorted())")
        }
    }

    @Test func aPresetThatDoesNotLoadFailsTheJobAtOnceNamingFileAndLine() async throws {
        try await onOwnThread {
            let harness = try Self.harness(trigger: "x")
            defer { harness.remove() }
            try "{\n  \"name\": \"mine\",\n  \"remove_tags\": [1, \n".write(
                to: harness.layout.root.appendingPathComponent("presets/mine.json"), atomically: true, encoding: .utf8)
            let engine = try harness.engine()
            try harness.drop("broken", images: 2)
            try engine.reconcile { _ in true }
            engine.runUntilIdle()
            let job = try harness.onlyJob()
            #expect(job.status == .failed)
            #expect(job.step == .adopt, "it fails before any step runs")
            let failure = job.machine.failure ?? ""
            #expect(failure.contains("mine.json:"), "names the file: \(failure)")
            #expect(failure.range(of: #"mine\.json:\d+:\d+"#, options: .regularExpression) != nil, "and line and column: \(failure)")
        }
    }
}
