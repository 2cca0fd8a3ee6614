import Foundation
import Jobs
import Pipeline
import Testing

/// The dataset profile driven in process on a real root: every transition, step by step, with the test clock.
@Suite struct DatasetProfileTests {
    static let noRoundTrip = "pipeline.autotag: false\nwatch.settle_ms: 0\nindex.batch_size: 2"

    /// Where the only job stands after each single step, until it waits or ends.
    static func stepByStep(_ engine: Engine, _ harness: EngineHarness) throws -> [String] {
        var seen: [String] = []
        while engine.runUntilIdle(limit: 1) == 1 {
            let job = try harness.onlyJob()
            seen.append("\(job.status.rawValue) \(job.step.rawValue)")
        }
        return seen
    }

    @Test func everyTransitionFromInboxToFinalZip() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip)
            defer { harness.remove() }
            let engine = try harness.engine()
            try harness.drop("mika", images: 3)
            try engine.reconcile { _ in true }
            #expect(try harness.onlyJob().status == .queued)
            #expect(try harness.onlyJob().step == .adopt)

            #expect(try Self.stepByStep(engine, harness) == [
                "RUNNING index", "RUNNING normalize", "RUNNING review", "WAITING_MANUAL review",
            ])
            #expect(!FileManager.default.fileExists(atPath: harness.layout.inbox.appendingPathComponent("mika").path), "the drop left inbox/")
            let review = harness.layout.review.appendingPathComponent("mika")
            #expect(FileManager.default.fileExists(atPath: review.appendingPathComponent("REVIEW.md").path))

            harness.touch("review/mika/RESUME")
            try engine.reconcile { _ in true }
            #expect(try harness.onlyJob().status == .running, "RESUME continues the job")
            #expect(try Self.stepByStep(engine, harness) == ["RUNNING final_cleanup", "RUNNING final_zip", "COMPLETED done"])
            let zips = harness.finalZips()
            #expect(zips.count == 1)
            if let zip = zips.first { #expect(try ZipInspection.unzipTest(zip).ok) }
            #expect(harness.log.contains("COMPLETED"), "\(harness.log.text)")
        }
    }

    @Test func aFolderDroppedIntoReviewedGoesStraightToFinalCleanup() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip)
            defer { harness.remove() }
            let engine = try harness.engine()
            try harness.drop("direct", images: 2, into: "reviewed")
            try engine.reconcile { _ in true }
            #expect(try Self.stepByStep(engine, harness) == ["RUNNING index", "RUNNING final_cleanup", "RUNNING final_zip", "COMPLETED done"])
            #expect(harness.finalZips().count == 1)
        }
    }

    @Test func aDropWithoutImagesFailsNamingIt() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip)
            defer { harness.remove() }
            let engine = try harness.engine()
            let empty = harness.layout.inbox.appendingPathComponent("empty")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            try "just text".write(to: empty.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
            try engine.reconcile { _ in true }
            #expect(try Self.stepByStep(engine, harness) == ["RUNNING index", "FAILED index"])
            #expect(try harness.onlyJob().machine.failure?.contains("no images found in") == true)
        }
    }

    @Test func roundTripWaitsForTheResultThenTimesOutOnTheInjectedClockAndRetries() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: "pipeline.autotag: true\nwatch.settle_ms: 0\ndownloads.timeout_minutes: 30")
            defer { harness.remove() }
            let engine = try harness.engine()
            try harness.drop("tagme", images: 2)
            try engine.reconcile { _ in true }
            #expect(try Self.stepByStep(engine, harness) == [
                "RUNNING index", "RUNNING autotag_zip", "RUNNING wait_for_result", "WAITING_DOWNLOAD wait_for_result",
            ])
            harness.clock.advance(by: .seconds(29 * 60))
            try engine.reconcile { _ in true }
            #expect(try harness.onlyJob().status == .waitingDownload, "29 minutes is within the timeout")
            harness.clock.advance(by: .seconds(2 * 60))
            try engine.reconcile { _ in true }
            let failed = try harness.onlyJob()
            #expect(failed.status == .failed)
            #expect(failed.machine.failure?.contains("No downloaded zip detected") == true)

            try harness.request(.retry, for: failed)
            try engine.reconcile { _ in true }
            #expect(try Self.stepByStep(engine, harness) == ["WAITING_DOWNLOAD wait_for_result"])
            harness.clock.advance(by: .seconds(29 * 60))
            try engine.reconcile { _ in true }
            #expect(try harness.onlyJob().status == .waitingDownload, "retry starts a new wait")
        }
    }

    /// A control request that arrives while a step runs is applied before the next step starts.
    @Test(arguments: 1...5) func controlRequestAfterEachStep(_ stepsBefore: Int) async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip + "\npipeline.auto_approve_review: true")
            defer { harness.remove() }
            let engine = try harness.engine()
            try harness.drop("ctl", images: 2)
            try engine.reconcile { _ in true }
            #expect(engine.runUntilIdle(limit: stepsBefore) == stepsBefore)
            let before = try harness.onlyJob()

            try harness.request(.pause, for: before)
            #expect(engine.runUntilIdle() == 0, "no step starts once paused")
            #expect(try harness.onlyJob().status == .paused)
            #expect(try harness.onlyJob().step == before.step)

            try harness.request(.resume, for: before)
            try harness.request(.stop, for: before)
            engine.runUntilIdle()
            #expect(try harness.onlyJob().status == .stopped, "resume then stop, in order")

            try harness.request(.retry, for: before)
            engine.runUntilIdle()
            #expect(try harness.onlyJob().status == .completed)
            #expect(harness.finalZips().count == 1)
        }
    }
}
