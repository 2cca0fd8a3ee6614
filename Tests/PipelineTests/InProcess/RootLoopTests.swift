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

    @Test func aReloadThatChangesSettleTimeRestartsTheWatcherWithIt() async throws {
        let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 600000")
        defer { harness.remove() }
        let loop = try Self.loop(harness, watches: true)
        let running = Task { try await loop.run() }
        defer { running.cancel() }
        #expect(await eventually { harness.log.contains("watching") })
        try harness.drop("late", images: 2)
        #expect(try harness.jobs().isEmpty, "ten minutes of settling have not passed")

        try harness.write(config: "pipeline.autotag: false\nwatch.settle_ms: 20")
        loop.post(.reloadConfig)
        #expect(await eventually { harness.log.contains("600000 → 20") }, "\(harness.log.text)")
        #expect(await eventually(timeout: 20) { ((try? harness.jobs()) ?? []).first?.status == .waitingManual }, "\(harness.log.text)")
    }

    @Test func aBrokenReloadKeepsTheOldConfig() async throws {
        let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0\npipeline.auto_approve_review: true")
        defer { harness.remove() }
        let loop = try Self.loop(harness, watches: false)
        let running = Task { try await loop.run() }
        defer { running.cancel() }
        try "pipeline:\n  autotag: [false\n".write(to: harness.layout.configFile, atomically: true, encoding: .utf8)
        loop.post(.reloadConfig)
        #expect(await eventually { harness.log.contains("keeping the previous config") }, "\(harness.log.text)")
        #expect(harness.log.text.range(of: #"sluice\.yaml:\d+:\d+"#, options: .regularExpression) != nil, "the error names file and line: \(harness.log.text)")

        try harness.drop("after", images: 2)
        loop.post(try #require(RootEvent.settled(harness.layout.inbox.appendingPathComponent("after"))))
        #expect(await eventually(timeout: 20) { !harness.finalZips().isEmpty }, "the old config still runs jobs: \(harness.log.text)")
    }

    @Test func theTimerTickOnTheTestClockFailsAWaitThatTimedOut() async throws {
        let harness = try EngineHarness(config: "pipeline.autotag: true\nwatch.settle_ms: 0\ndownloads.timeout_minutes: 5")
        defer { harness.remove() }
        let loop = try Self.loop(harness, watches: false)
        try harness.drop("slow", images: 2)
        let running = Task { try await loop.run() }
        defer { running.cancel() }
        loop.post(try #require(RootEvent.settled(harness.layout.inbox.appendingPathComponent("slow"))))
        #expect(await eventually(timeout: 20) { ((try? harness.jobs()) ?? []).first?.status == .waitingDownload }, "\(harness.log.text)")
        #expect(await eventually { harness.clock.sleeperCount > 0 })
        harness.clock.advance(by: .seconds(6 * 60))
        #expect(await eventually { ((try? harness.jobs()) ?? []).first?.status == .failed }, "\(harness.log.text)")
    }

    @Test func aControlRequestWakesTheLoop() async throws {
        let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0")
        defer { harness.remove() }
        let loop = try Self.loop(harness, watches: false)
        try harness.drop("ctl", images: 2)
        let running = Task { try await loop.run() }
        defer { running.cancel() }
        loop.post(try #require(RootEvent.settled(harness.layout.inbox.appendingPathComponent("ctl"))))
        #expect(await eventually(timeout: 20) { ((try? harness.jobs()) ?? []).first?.status == .waitingManual })
        try harness.request(.stop, for: try harness.onlyJob())
        loop.post(.controlRequest)
        #expect(await eventually { ((try? harness.jobs()) ?? []).first?.status == .stopped }, "\(harness.log.text)")
    }
}
