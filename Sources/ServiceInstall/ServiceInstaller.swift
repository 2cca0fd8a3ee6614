import Foundation

/// Writes, removes and reports the user units of `sluice service`; runs systemctl when a user manager answers,
/// and otherwise says exactly what to run.
public struct ServiceInstaller {
    /// A root to run as a service, with the folders outside it that it must be able to write.
    public struct Root: Sendable, Equatable {
        public var path: String
        public var extraWritablePaths: [String]

        public init(path: String, extraWritablePaths: [String] = []) {
            self.path = path
            self.extraWritablePaths = extraWritablePaths
        }
    }

    /// `~/.config/systemd/user` (or under `$XDG_CONFIG_HOME`).
    public let unitDirectory: URL
    /// The absolute path of the `sluice` binary the unit runs.
    public let executable: String
    public let manager: UserManager

    public init(unitDirectory: URL, executable: String, manager: UserManager) {
        self.unitDirectory = unitDirectory
        self.executable = executable
        self.manager = manager
    }

    /// The user unit folder systemd reads for this environment (systemd.unit(5)).
    public static func unitDirectory(environment: [String: String]) -> URL? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return URL(fileURLWithPath: config).appendingPathComponent("systemd/user")
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".config/systemd/user")
    }

    var templateFile: URL { unitDirectory.appendingPathComponent(SluiceUnit.templateName) }

    func dropInFile(root: String) -> URL {
        unitDirectory.appendingPathComponent(SluiceUnit.instanceName(root: root) + ".d/paths.conf")
    }

    /// Writes the template (with this binary's path) and each root's drop-in, then reloads and enables the
    /// instances, or returns the commands to run when no user manager answers.
    /// - Returns: lines for the user.
    public func install(_ roots: [Root]) throws -> [String] {
        try FileManager.default.createDirectory(at: unitDirectory, withIntermediateDirectories: true)
        try Data(SluiceUnit.template(executable: executable).utf8).write(to: templateFile, options: .atomic)
        var lines = ["Wrote \(templateFile.path) (runs \(executable))."]
        for root in roots {
            let dropIn = dropInFile(root: root.path)
            if root.extraWritablePaths.isEmpty {
                try? FileManager.default.removeItem(at: dropIn.deletingLastPathComponent())
            } else {
                try FileManager.default.createDirectory(at: dropIn.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(SluiceUnit.pathsDropIn(writablePaths: root.extraWritablePaths).utf8).write(to: dropIn, options: .atomic)
                lines.append("Wrote \(dropIn.path) (download folders outside the root).")
            }
        }
        let instances = roots.map { SluiceUnit.instanceName(root: $0.path) }
        lines += try apply([["daemon-reload"], ["enable", "--now"] + instances], done: "Enabled and started")
        for instance in instances {
            lines.append("Follow its log: journalctl --user -u \(UserManager.shellQuoted(instance)) -f   (-p warning: warnings and errors only)")
        }
        lines.append("User services stop when you log out unless lingering is on: loginctl enable-linger \"$USER\"")
        return lines
    }

    /// Stops and disables each root's instance and removes its drop-in; the template goes when no instance is
    /// left enabled.
    public func uninstall(roots: [String]) throws -> [String] {
        let instances = roots.map { SluiceUnit.instanceName(root: $0) }
        var lines: [String] = []
        if !instances.isEmpty { lines += try apply([["disable", "--now"] + instances], done: "Stopped and disabled") }
        for root in roots {
            let folder = dropInFile(root: root).deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: folder.path) {
                try FileManager.default.removeItem(at: folder)
                lines.append("Removed \(folder.path).")
            }
        }
        if enabledInstances().isEmpty && FileManager.default.fileExists(atPath: templateFile.path) {
            try FileManager.default.removeItem(at: templateFile)
            lines.append("Removed \(templateFile.path).")
            lines += try apply([["daemon-reload"]], done: "Reloaded")
        }
        return lines
    }

    /// One line per root: its unit, whether it is enabled, and whether it runs (when a manager answers).
    public func status(roots: [String]) throws -> [String] {
        let reachable = manager.isReachable
        let enabled = enabledInstances()
        var lines: [String] = []
        if !FileManager.default.fileExists(atPath: templateFile.path) {
            lines.append("No unit installed (\(templateFile.path) is missing); run `sluice service install ROOT`.")
        }
        let instances = roots.isEmpty ? enabled : roots.map { SluiceUnit.instanceName(root: $0) }
        for instance in instances {
            var state = enabled.contains(instance) ? "enabled" : "not enabled"
            if reachable, let active = try? manager.run(["is-active", instance]) {
                state += ", " + active.output.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            lines.append("\(instance): \(state)")
        }
        if !reachable { lines.append("No systemd user manager is reachable, so running state is unknown.") }
        return lines
    }

    /// The instances `enable` linked into `default.target.wants/`.
    public func enabledInstances() -> [String] {
        let wants = unitDirectory.appendingPathComponent("default.target.wants")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: wants.path)) ?? []
        return names.filter { $0.hasPrefix("sluice@") && $0.hasSuffix(".service") && $0 != SluiceUnit.templateName }.sorted()
    }

    /// Runs each systemctl command when a user manager answers; otherwise returns them for the user to run.
    /// - Throws: `SystemctlError` for the first command that fails (the files written so far stay).
    private func apply(_ commands: [[String]], done: String) throws -> [String] {
        guard manager.isReachable else {
            return ["No systemd user manager is reachable (no user session here?); run these once it is:"]
                + commands.map { "  " + UserManager.commandLine($0) }
        }
        for command in commands {
            let result = try manager.run(command)
            guard result.status == 0 else {
                throw SystemctlError(
                    command: UserManager.commandLine(command), status: result.status,
                    output: result.output.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        return ["\(done): " + commands.map { UserManager.commandLine($0) }.joined(separator: " && ")]
    }
}
