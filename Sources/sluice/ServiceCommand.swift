import ArgumentParser
import Configuration
import Foundation
import ServiceInstall

/// `sluice service install|uninstall|status [ROOT…]`: the systemd user units that run `sluice watch` per root.
struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Run Sluice as a systemd user service, one instance (sluice@<root>.service) per root.",
        subcommands: [Install.self, Uninstall.self, Status.self])

    /// The roots named on the command line, or `$SLUICE_ROOT`, or the current folder, as absolute paths.
    struct Roots: ParsableArguments {
        @Argument(help: "Sluice roots (default: $SLUICE_ROOT or the current folder).") var roots: [String] = []

        var paths: [String] {
            let given = roots.isEmpty ? [RootOption.defaultRoot()] : roots
            return given.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath).standardizedFileURL.path }
        }
    }

    /// `sluice service install`.
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write sluice@.service and enable it for each root; without a user manager, print the commands.")

        @OptionGroup var roots: Roots

        func run() throws {
            var serviceRoots: [ServiceInstaller.Root] = []
            for path in roots.paths {
                let configFile = URL(fileURLWithPath: path).appendingPathComponent("sluice.yaml")
                guard FileManager.default.fileExists(atPath: configFile.path) else {
                    throw CLIError.config("\(path) is not a Sluice root (run `sluice init \(path)` first)")
                }
                let config: SluiceConfig
                do { config = try SluiceConfig.load(from: configFile) } catch { throw CLIError.config("\(error)") }
                let extra = config.downloads.extraDirectories.map { folder in
                    let expanded = (folder as NSString).expandingTildeInPath
                    return URL(fileURLWithPath: expanded, relativeTo: URL(fileURLWithPath: path + "/")).standardizedFileURL.path
                }
                serviceRoots.append(ServiceInstaller.Root(path: path, extraWritablePaths: extra.filter { !$0.hasPrefix(path + "/") }))
            }
            for line in try ServiceCommand.installer().install(serviceRoots) { print(line) }
        }
    }

    /// `sluice service uninstall`.
    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop and disable each root's instance; remove sluice@.service once none is left.")

        @OptionGroup var roots: Roots

        func run() throws {
            for line in try ServiceCommand.installer().uninstall(roots: roots.paths) { print(line) }
        }
    }

    /// `sluice service status`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each root's unit: enabled or not, and running or not when a user manager answers.")

        @Argument(help: "Sluice roots (default: every enabled instance).") var roots: [String] = []

        func run() throws {
            let paths = roots.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath).standardizedFileURL.path }
            for line in try ServiceCommand.installer().status(roots: paths) { print(line) }
        }
    }

    static func installer() throws -> ServiceInstaller {
        let environment = ProcessInfo.processInfo.environment
        guard let unitDirectory = ServiceInstaller.unitDirectory(environment: environment) else {
            throw CLIError("Neither HOME nor XDG_CONFIG_HOME is set to an absolute path, so there is no user unit folder.")
        }
        return ServiceInstaller(unitDirectory: unitDirectory, executable: executablePath(), manager: UserManager(environment: environment))
    }

    /// The path this binary was started by (kept as typed, so a unit survives reinstalling over it), absolute.
    static func executablePath() -> String {
        let invoked = CommandLine.arguments[0]
        if invoked.contains("/") {
            return URL(fileURLWithPath: invoked).standardizedFileURL.path
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where folder.hasPrefix("/") {
            let candidate = "\(folder)/\(invoked)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return Bundle.main.executableURL?.path ?? invoked
    }
}
