import Configuration
import Foundation
import Jobs
import Pipeline
import Testing

/// A root's event loop in process: reload (applied and broken), the timer on the test clock, control requests.
@Suite struct RootLoopTests {
    static func loop(_ harness: EngineHarness, watches: Bool) throws -> RootLoop {
        RootLoop(
            layout: harness.layout, config: try harness.config(), clock: harness.clock, tickInterval: .seconds(60),
            watches: watches, logger: harness.log.logger
        ) { [harness] config in try! harness.engine(config: config) }
    }

    /// Runs `body` while the root's loop runs; cancels the loop after.
    static func withLoop(_ harness: EngineHarness, watches: Bool = false, _ body: (RootLoop) async throws -> Void) async throws {
        let loop = try Self.loop(harness, watches: watches)
        let running = Task { try await loop.run() }
        defer { running.cancel() }
        try await body(loop)
    }

    /// Drops `dataset` into inbox/, then posts it as settled to the loop (which watches nothing itself).
    static func dropSettled(_ dataset: String, _ harness: EngineHarness, _ loop: RootLoop) throws {
        try harness.drop(dataset, images: 2)
        loop.post(try #require(RootEvent.settled(harness.layout.inbox.appendingPathComponent(dataset))))
    }

    /// The status of the root's only job once there is one.
    static func status(_ harness: EngineHarness) -> JobStatus? { ((try? harness.jobs()) ?? []).first?.status }

    @Test func aReloadThatChangesSettleTimeRestartsTheWatcherWithIt() async throws {
        let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 600000")
        defer { harness.remove() }
        try await Self.withLoop(harness, watches: true) { loop in
            #expect(await eventually(timeout: 90) { harness.log.contains("watching") })
            try harness.drop("late", images: 2)
            #expect(try harness.jobs().isEmpty, "ten minutes of settling have not passed")

            try harness.write(config: "pipeline.autotag: false\nwatch.settle_ms: 20")
            loop.post(.reloadConfig)
            #expect(await eventually(timeout: 90) { harness.log.contains("600000 → 20") }, "\(harness.log.text)")
            #expect(await eventually(timeout: 90) { Self.status(harness) == .waitingManual }, "\(harness.log.text)")
        }
    }

    @Test func aBrokenReloadKeepsTheOldConfig() async throws {
        let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0\npipeline.auto_approve_review: true")
        defer { harness.remove() }
        try await Self.withLoop(harness) { loop in
            try "pipeline:\n  autotag: [false\n".write(to: harness.layout.configFile, atomically: true, encoding: .utf8)
            loop.post(.reloadConfig)
            #expect(await eventually(timeout: 90) { harness.log.contains("keeping the previous config") }, "\(harness.log.text)")
            #expect(harness.log.text.range(of: #"sluice\.yaml:\d+:\d+"#, options: .regularExpression) != nil, "the error names file and line: \(harness.log.text)")

            try Self.dropSettled("after", harness, loop)
            #expect(await eventually(timeout: 90) { !harness.finalZips().isEmpty }, "the old config still runs jobs: \(harness.log.text)")
        }
    }

    @Test func aReloadedPresetReachesAJobNotYetNormalized() async throws {
        let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0")
        defer { harness.remove() }
        let engine = try harness.engine()
        try harness.drop("early", images: 2)
        try engine.reconcile { _ in true }
        #expect(engine.runUntilIdle(limit: 1) == 1, "adopt ran; the job starts with the anime preset")
        #expect(try harness.onlyJob().preset?.name == "anime")
        harness.touch("PAUSE")
        try await Self.withLoop(harness) { loop in
            try harness.write(config: "pipeline.autotag: false\nwatch.settle_ms: 0\nnormalize.preset: manga")
            loop.post(.reloadConfig)
            #expect(await eventually(timeout: 90) { (try? harness.onlyJob())?.preset?.name == "manga" }, "\(harness.log.text)")
            #expect(await eventually(timeout: 90) { harness.log.contains("normalize.preset") }, "the change is logged: \(harness.log.text)")
        }
    }

    @Test func theTimerTickOnTheTestClockFailsAWaitThatTimedOut() async throws {
        let harness = try EngineHarness(config: "pipeline.autotag: true\nwatch.settle_ms: 0\ndownloads.timeout_minutes: 5")
        defer { harness.remove() }
        try await Self.withLoop(harness) { loop in
            try Self.dropSettled("slow", harness, loop)
            #expect(await eventually(timeout: 90) { Self.status(harness) == .waitingDownload }, "\(harness.log.text)")
            #expect(await eventually(timeout: 90) { harness.clock.sleeperCount > 0 })
            harness.clock.advance(by: .seconds(6 * 60))
            #expect(await eventually(timeout: 90) { Self.status(harness) == .failed }, "\(harness.log.text)")
        }
    }

    @Test func aControlRequestWakesTheLoop() async throws {
        let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0")
        defer { harness.remove() }
        try await Self.withLoop(harness) { loop in
            try Self.dropSettled("ctl", harness, loop)
            #expect(await eventually(timeout: 90) { Self.status(harness) == .waitingManual })
            try harness.request(.stop, for: try harness.onlyJob())
            loop.post(.controlRequest)
            #expect(await eventually(timeout: 90) { Self.status(harness) == .stopped }, "\(harness.log.text)")
        }
    }
}
