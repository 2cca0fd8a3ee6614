import Foundation
@testable import Pipeline
import Testing

/// Step A's streaming: workers never wait at a batch boundary, yet at most `window` inputs are started and unrecorded.
@Suite struct StreamingBatchesTests {
    /// Counts inputs started and recorded, and the largest gap between the two seen when an input starts.
    final class Ledger: @unchecked Sendable {
        // Safe: every field is only touched with `lock` held.
        private let lock = NSLock()
        private var started = 0
        private var recorded = 0
        private var widest = 0

        func start() {
            lock.withLock {
                started += 1
                widest = max(widest, started - recorded)
            }
        }

        func record(_ count: Int) { lock.withLock { recorded += count } }
        var figures: (started: Int, recorded: Int, widest: Int) { lock.withLock { (started, recorded, widest) } }
    }

    @Test(arguments: [1, 2, 7, 100])
    func everyInputIsRecordedOnceAndTheWindowHolds(_ window: Int) throws {
        let ledger = Ledger()
        var seen: [Int] = []
        var batches = 0
        let done = try StreamingBatches.run(
            Array(0..<500), workers: 3, window: window,
            transform: { value in
                ledger.start()
                // Uneven work, so results finish out of order.
                var sum = 0
                for step in 0..<((value % 7) * 2_000) { sum &+= step }
                return value * 2 + (sum & 0)
            },
            isCancelled: { false }
        ) { finished in
            batches += 1
            for (input, output) in finished {
                #expect(output == input * 2)
                seen.append(input)
            }
            ledger.record(finished.count)
        }
        #expect(done)
        #expect(seen.sorted() == Array(0..<500), "each input recorded exactly once")
        #expect(ledger.figures.widest <= window, "at most \(window) started and unrecorded; saw \(ledger.figures.widest)")
        #expect(batches >= 500 / window, "recorded in batches of about half the window")
    }

    @Test func aFailedRecordStopsTheRunAndStartsNothingMore() throws {
        struct DiskFull: Error {}
        let ledger = Ledger()
        var calls = 0
        #expect(throws: DiskFull.self) {
            _ = try StreamingBatches.run(
                Array(0..<1_000), workers: 2, window: 10, transform: { value in ledger.start(); return value },
                isCancelled: { false }
            ) { finished in
                calls += 1
                ledger.record(finished.count)
                if calls == 3 { throw DiskFull() }
            }
        }
        let figures = ledger.figures
        #expect(figures.started <= figures.recorded + 10, "no input started past the window after the failure: \(figures)")
        #expect(figures.started < 1_000)
    }

    @Test func cancellingRecordsWhatWasStartedAndReportsItUnfinished() throws {
        let ledger = Ledger()
        var recorded: [Int] = []
        let done = try StreamingBatches.run(
            Array(0..<1_000), workers: 2, window: 8, transform: { value in ledger.start(); return value },
            isCancelled: { recorded.count >= 20 }
        ) { finished in
            recorded += finished.map(\.input)
            ledger.record(finished.count)
        }
        #expect(!done)
        #expect(recorded.count < 1_000)
        #expect(ledger.figures.started == recorded.count, "everything started was recorded, nothing lost")
        #expect(Set(recorded).count == recorded.count)
    }
}
