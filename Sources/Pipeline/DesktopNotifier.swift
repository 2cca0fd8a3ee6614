import Foundation

/// `notify.desktop`: a best-effort `notify-send` when a job starts waiting for the user; a failure never fails a job.
enum DesktopNotifier {
    static func notify(title: String, body: String) {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let tool = paths.map({ "\($0)/notify-send" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--app-name=Sluice", title, body]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }
}
