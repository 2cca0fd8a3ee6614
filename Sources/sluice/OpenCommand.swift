import ArgumentParser
import Foundation
import Jobs
import Pipeline

struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the auto-tagger's upload page and the folder of the job's upload zip (prints them without a display).")

    @Argument(help: "The job: its id, a unique prefix of it, or its dataset name.") var job: String
    @Option(help: "The Sluice root (default: $SLUICE_ROOT or the current folder).") var root: String?

    func run() throws {
        let layout = RootLayout(root: URL(fileURLWithPath: root ?? RootOption.defaultRoot()))
        let config = try EngineWiring.loadConfig(layout)
        let target: Job
        do { target = try JobStore(stateDirectory: layout.state).resolve(job) } catch { throw CLIError("\(error)") }
        guard let zip = target.artifacts.autotagZip else {
            throw CLIError("\(target.id) has no upload zip yet (it is at \(target.step.label)); see `sluice status`")
        }
        let url = config.autotag.uploadURL
        let folder = (zip as NSString).deletingLastPathComponent
        print("Upload page: \(url)")
        print("Upload zip:  \(zip)")
        let environment = ProcessInfo.processInfo.environment
        let hasDisplay = environment["DISPLAY"].map { !$0.isEmpty } ?? false || environment["WAYLAND_DISPLAY"].map { !$0.isEmpty } ?? false
        guard hasDisplay, let opener = Self.xdgOpen() else {
            print("No display (or no xdg-open): open the page in a browser and upload the zip from there.")
            return
        }
        for item in [url, folder] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: opener)
            process.arguments = [item]
            try? process.run()
        }
    }

    static func xdgOpen() -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/xdg-open" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
