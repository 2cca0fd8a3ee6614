import ArgumentParser
import Foundation
import Pipeline

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show every job: status, step, what it waits for, progress, final zip.")

    @Argument(help: "Sluice roots (default: $SLUICE_ROOT or the current folder).") var roots: [String] = []
    @Flag(help: "Machine-readable output.") var json = false

    func run() throws {
        let layouts = try (roots.isEmpty ? [RootOption.defaultRoot()] : roots).map { path in
            let layout = RootLayout(root: URL(fileURLWithPath: path))
            guard layout.isInitialized else { throw CLIError("\(layout.root.path) is not a Sluice root") }
            return layout
        }
        let report = try StatusReport.make(roots: layouts)
        print(json ? try report.json() : report.text(), terminator: "")
    }
}

/// Which root a command acts on when none is named.
enum RootOption {
    static func defaultRoot() -> String {
        ProcessInfo.processInfo.environment["SLUICE_ROOT"] ?? FileManager.default.currentDirectoryPath
    }
}
