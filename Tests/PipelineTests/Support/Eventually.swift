import Foundation

/// Waits for a condition with a deadline, checking it every `interval`; returns whether it became true.
/// It suspends between checks rather than blocking, so tests waiting on the daemon leave the cooperative
/// threads to the other suites.
func eventually(
    timeout: TimeInterval = 30, every interval: TimeInterval = 0.05, _ condition: () throws -> Bool
) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
    }
    return try condition()
}
