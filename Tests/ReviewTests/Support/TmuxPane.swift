import Foundation

/// A real terminal for screen tests: a detached tmux session on its own server socket, driven with send-keys and
/// read with capture-pane.
final class TmuxPane {
    let socket = "sluice-review-\(UUID().uuidString.prefix(8))"
    let session = "review"

    /// Starts `bash` without rc files in a `columns`×`rows` pane; commands are typed into it.
    init(columns: Int = 120, rows: Int = 40) throws {
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)",
                  "env", "-i", "PATH=/usr/bin:/bin", "TERM=screen", "HOME=/tmp", "PS1=READY$ ", "bash", "--norc", "--noprofile"])
    }

    deinit { close() }

    /// Ends the tmux server and everything in the pane.
    func close() {
        guard let pid = Int32((try? tmux(["display-message", "-p", "#{pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") else { return }
        _ = try? tmux(["kill-server"])
        kill(pid, SIGKILL)  // the server survives SIGTERM here when kill-server did not reach it
    }

    /// Runs a tmux command (posix_spawn + waitpid: Foundation's Process did not reap the tmux client here); its
    /// output goes through a file, since the server tmux forks would hold a pipe open.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
        defer { unlink(outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["/usr/bin/tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
    }

    /// Types a line of shell into the pane.
    func type(_ line: String) throws {
        try tmux(["send-keys", "-t", session, "-l", line])
        try tmux(["send-keys", "-t", session, "Enter"])
    }

    /// Sends tmux key names (`a`, `Space`, `Down`, `Right`…).
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }

    func capture() -> String { (try? tmux(["capture-pane", "-p", "-t", session])) ?? "" }

    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// The pid of the program running in the pane's shell (its first child).
    func childPID() -> Int32? {
        guard let shell = Int32((try? tmux(["list-panes", "-t", session, "-F", "#{pane_pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") else { return nil }
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { Int32($0) }
    }

    /// Waits until the screen satisfies `condition`, up to `timeout` seconds.
    func waitFor(timeout: TimeInterval = 20, _ condition: (String) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(capture()) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(capture())
    }

    func waitFor(_ text: String, timeout: TimeInterval = 20) async -> Bool { await waitFor(timeout: timeout) { $0.contains(text) } }
}

/// Waits for a condition with a deadline.
func eventually(timeout: TimeInterval = 20, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return condition()
}

/// The `sluice` binary built beside the tests.
let sluiceExecutable: String = {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice").path,
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/sluice").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
}()
