import Foundation

/// Wakes a worker thread when there is something to look at, or after a deadline.
final class WakeSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = false

    func wake() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Waits until woken or `timeout` passes; a wake that came before the wait counts.
    func wait(timeout: TimeInterval) {
        condition.lock()
        let deadline = Date().addingTimeInterval(timeout)
        while !pending && condition.wait(until: deadline) {}
        pending = false
        condition.unlock()
    }
}
