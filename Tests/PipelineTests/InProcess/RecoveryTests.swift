import Foundation
import Jobs
import Pipeline
import Testing

/// Issue 9 item 10: the recovery paths a message points to lead somewhere.
@Suite struct RecoveryTests {
    static let noRoundTrip = "pipeline.autotag: false\nwatch.settle_ms: 0\nindex.batch_size: 4"

    static func folder(_ harness: EngineHarness) throws -> JobFolder {
        JobFolder(JobStore(stateDirectory: harness.layout.state).folder(of: try harness.onlyJob().id))
    }

    static func retry(_ engine: Engine, _ harness: EngineHarness) throws -> String? {
        try harness.request(.retry, for: try harness.onlyJob())
        try engine.reconcile { _ in true }
        return try DatasetProfileTests.stepByStep(engine, harness).last
    }

    @Test func aNonUTF8CaptionErrorNamesTheFileToFixAndRetryPicksUpTheFix() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip)
            defer { harness.remove() }
            let engine = try harness.engine()
            let drop = try harness.drop("latin", images: 2)
            try Data([0x73, 0x6F, 0x6C, 0x6F, 0xE9, 0xFF]).write(to: drop.appendingPathComponent("img_001.txt"))
            try engine.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engine, harness).last == "FAILED normalize")
            let folder = try Self.folder(harness)
            let failure = try harness.onlyJob().machine.failure ?? ""
            let named = folder.source.appendingPathComponent("img_001.txt").path
            #expect(failure.contains(named), "\(failure)")
            #expect(!failure.contains("normalized.staging"))

            try "solo, smile".write(toFile: named, atomically: true, encoding: .utf8)
            #expect(try Self.retry(engine, harness) == "WAITING_MANUAL review")
        }
    }

    @Test func removingABadFileThenRetryingReChecksTheIndex() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip)
            defer { harness.remove() }
            let engine = try harness.engine()
            let drop = try harness.drop("remove", images: 3)
            try Data([0xFF, 0xFE, 0x00]).write(to: drop.appendingPathComponent("img_002.txt"))
            try engine.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engine, harness).last == "FAILED normalize")
            let folder = try Self.folder(harness)
            try FileManager.default.removeItem(at: folder.source.appendingPathComponent("img_002.png"))
            try FileManager.default.removeItem(at: folder.source.appendingPathComponent("img_002.txt"))

            #expect(try Self.retry(engine, harness) == "WAITING_MANUAL review")
            let log = try harness.onlyJob().log.map(\.message).joined(separator: "\n")
            #expect(log.contains("1 indexed images are gone"), "\(log)")
            #expect(!log.contains("NSCocoaErrorDomain"))
        }
    }

    @Test func aReviewFolderDeletedWhileWaitingIsNoticedAndRetryRebuildsIt() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip)
            defer { harness.remove() }
            let engine = try harness.engine()
            try harness.drop("gone", images: 2)
            try engine.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engine, harness).last == "WAITING_MANUAL review")
            let review = harness.layout.review.appendingPathComponent("gone")
            try FileManager.default.removeItem(at: review)

            try engine.reconcile { _ in true }
            let job = try harness.onlyJob()
            #expect(job.status == .failed)
            #expect(job.machine.failure?.contains("review/gone/ was deleted while the job waited") == true)
            #expect(job.machine.failure?.contains("sluice retry \(job.id)") == true)

            #expect(try Self.retry(engine, harness) == "WAITING_MANUAL review")
            #expect(FileManager.default.fileExists(atPath: review.appendingPathComponent("img_000.txt").path))
            #expect(FileManager.default.fileExists(atPath: review.appendingPathComponent("REVIEW.md").path))
            #expect(try harness.onlyJob().log.contains { $0.message.contains("rebuilt review/gone/ from the job's copy") })
        }
    }
}
