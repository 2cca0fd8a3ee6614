import Foundation

/// The user's corrections as a shell runs them: real `mv` commands under `final/`.
public enum UserMoves {
    /// Runs one `mkdir -p` and `mv` per move with `/bin/sh`: even ones (or all with `imagesOnly`) move the image
    /// alone (Sluice must move its sidecar along), odd ones the image and its sidecar together. Returns sh's status.
    public static func replay(_ moves: [(name: String, from: String, to: String)], final: String, imagesOnly: Bool = false) throws -> Int32 {
        var script = "set -e\n"
        for (index, move) in moves.enumerated() {
            let source = "'\(final)/\(move.from)/\(move.name)'"
            let target = "'\(final)/\(move.to)/'"
            script += "mkdir -p \(target)\n"
            script += index % 2 == 0 || imagesOnly ? "mv \(source) \(target)\n" : "mv \(source) \(source.dropLast()).xmp' \(target)\n"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
