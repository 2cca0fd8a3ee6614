import Foundation
import Synchronization

/// Virtual time for tests and simulations: `sleep` returns at once and moves the clock forward instead.
public final class ManualTime: TimeSource {
    private let state: Mutex<(now: Date, sleeps: [Duration])>

    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex((start, []))
    }

    public var now: Date { state.withLock { $0.now } }

    /// Every sleep requested so far, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.sleeps.append(duration)
            $0.now += duration.seconds
        }
    }

    /// Moves the clock forward without recording a sleep, as time passing elsewhere would.
    public func advance(by seconds: TimeInterval) {
        state.withLock { $0.now += seconds }
    }
}
