import Foundation

/// The systemd user manager, reached through `systemctl --user`.
public struct UserManager: Sendable {
    /// The environment `systemctl` runs with (it finds the manager through `XDG_RUNTIME_DIR` or the bus address).
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Whether a user manager answers (`systemctl --user show-environment` succeeds); false without systemctl.
    public var isReachable: Bool {
        (try? run(["show-environment"]))?.status == 0
    }

    /// Runs `systemctl --user ARGUMENTS`, returning its exit status and its output (stdout then stderr).
    public func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["systemctl", "--user"] + arguments
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A command line as a user types it (`systemctl --user enable --now 'sluice@home-x.service'`).
    public static func commandLine(_ arguments: [String]) -> String {
        (["systemctl", "--user"] + arguments).map(shellQuoted).joined(separator: " ")
    }

    /// A word quoted for sh when it holds anything beyond letters, digits and `@%+=:,./_-`.
    public static func shellQuoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "@%+=:,./_-".contains($0)) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
