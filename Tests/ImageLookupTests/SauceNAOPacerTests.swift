import Foundation
import Testing

@testable import ImageLookup

@Suite("SauceNAO pacing, driven by a clock value instead of sleeping")
struct SauceNAOPacerTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs `count` searches as fast as the pacer allows against a limit of 4 per 30 s; returns their times.
    private func simulate(count: Int, margin: TimeInterval = 0.5, duration: TimeInterval = 0.2) -> [Date] {
        var pacer = SauceNAOPacer(margin: margin)
        var now = start
        var times: [Date] = []
        var served: [Date] = []
        for _ in 0..<count {
            while case .wait(let until) = pacer.decision(at: now) { now = until }
            times.append(now)
            served.append(now)
            now += duration
            let inWindow = served.filter { $0 > now.addingTimeInterval(-30) }.count
            pacer.recordSearch(at: now, limits: SauceNAOLimits(shortLimit: 4, longLimit: 100, shortRemaining: 4 - inWindow, longRemaining: 100 - served.count))
        }
        return times
    }

    @Test func firstSearchGoesAtOnce() {
        #expect(SauceNAOPacer().decision(at: start) == .proceed)
    }

    @Test func neverMoreThanTheShortLimitInAnyThirtySecondWindow() {
        let times = simulate(count: 40)
        for (index, time) in times.enumerated() {
            let inWindow = times[..<index].filter { $0 > time.addingTimeInterval(-30) }.count
            #expect(inWindow < 4, "search \(index) would be the fifth in 30 s")
        }
        // 40 searches at 4 per 30 s need 9 full windows; the margin adds little.
        let elapsed = times.last!.timeIntervalSince(start)
        #expect(elapsed >= 270 && elapsed < 270 * 1.05)
    }

    @Test func remainingCountOfZeroWaitsForTheWindowEvenWithoutHistory() {
        var pacer = SauceNAOPacer(margin: 0.5)
        pacer.recordSearch(at: start, limits: SauceNAOLimits(shortLimit: 4, longLimit: 100, shortRemaining: -2, longRemaining: 50))
        #expect(pacer.decision(at: start + 1) == .wait(until: start + 30.5))
        #expect(pacer.decision(at: start + 30.5) == .proceed)
    }

    @Test func dailyRemainingOfZeroStopsUntilTheOldestSearchIsADayOld() {
        var pacer = SauceNAOPacer()
        pacer.recordSearch(at: start, limits: SauceNAOLimits(shortLimit: 4, longLimit: 2, shortRemaining: 3, longRemaining: 1))
        pacer.recordSearch(at: start + 40, limits: SauceNAOLimits(shortLimit: 4, longLimit: 2, shortRemaining: 3, longRemaining: 0))
        #expect(pacer.decision(at: start + 100) == .dailyLimitReached(until: start + 86_400))
        #expect(pacer.decision(at: start + 86_401) == .proceed)
    }

    @Test func dailyLimitHitBlocksEvenWithoutCounts() {
        var pacer = SauceNAOPacer()
        pacer.recordDailyLimitHit(at: start)
        #expect(pacer.decision(at: start + 3600) == .dailyLimitReached(until: start + 86_400))
    }

    @Test func shortLimitHitWaitsAFullWindow() {
        var pacer = SauceNAOPacer(margin: 1)
        pacer.recordShortLimitHit(at: start)
        #expect(pacer.decision(at: start) == .wait(until: start + 31))
    }

    @Test func stateSurvivesEncoding() throws {
        var pacer = SauceNAOPacer()
        pacer.recordSearch(at: start, limits: SauceNAOLimits(shortLimit: 4, longLimit: 100, shortRemaining: 0, longRemaining: 0))
        let decoded = try JSONDecoder().decode(SauceNAOPacer.self, from: JSONEncoder().encode(pacer))
        #expect(decoded == pacer)
        #expect(decoded.decision(at: start + 60) == .dailyLimitReached(until: start + 86_400))
    }

    @Test func searchesOlderThanADayAreForgotten() {
        var pacer = SauceNAOPacer()
        pacer.recordSearch(at: start, limits: nil)
        pacer.recordSearch(at: start + 90_000, limits: nil)
        #expect(pacer.searches == [start + 90_000])
    }
}
