import Foundation

/// Waits for a condition with a deadline, polling briefly; returns whether it became true.
func eventually(
    timeout: TimeInterval = 30, every interval: TimeInterval = 0.05, _ condition: () throws -> Bool
) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    }
    return try condition()
}
