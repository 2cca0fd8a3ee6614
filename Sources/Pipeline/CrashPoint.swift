import Foundation

/// Fault injection for the kill -9 tests: `SLUICE_CRASH_AT=before:<step>`, `after:<step>`, `final_zip:batch` (after
/// the final zip's first chunk is recorded) or `final_zip:mid` makes the process SIGKILL itself at that point, exactly
/// as `kill -9` from outside would, but at a known moment.
enum CrashPoint {
    static let configured: String? = ProcessInfo.processInfo.environment["SLUICE_CRASH_AT"]

    static func check(_ point: String) {
        guard let configured, configured == point else { return }
        let marker = ProcessInfo.processInfo.environment["SLUICE_CRASH_MARKER"]
        if let marker { FileManager.default.createFile(atPath: marker, contents: Data(point.utf8)) }
        kill(getpid(), SIGKILL)
    }
}
