import Foundation
import Glibc
import Testing

/// `sluice status` shows a running `sluice sync`'s live rsync figures (bytes, MB/s, ETA, files), then its end.
@Suite(.serialized) struct SyncStatusTests {
    /// The root's `sync` object in `sluice status ROOT --json`, nil when there is none.
    static func syncStatus(_ root: URL) async throws -> [String: Any]? {
        let status = try await SluiceProcess.run(["status", root.path, "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return ((json?["roots"] as? [[String: Any]])?.first)?["sync"] as? [String: Any]
    }

    @Test func statusShowsARunningSyncsFiguresAndThenItsEnd() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-syncstatus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let initialized = try await SluiceProcess.run(["init", root.path, "--profile", "library"])
        #expect(initialized.status == 0, "\(initialized)")
        // 2.4 MB at 500 KiB/s: about five seconds of transfer for status to catch.
        let config = "profile: library\nsync:\n  destination: nas\n  bandwidth_limit_kib: 500\n"
        #expect(FileManager.default.createFile(
            atPath: root.appendingPathComponent("sluice.yaml").path, contents: Data(config.utf8), attributes: [.posixPermissions: 0o600]))
        let folder = root.appendingPathComponent("final/Fanart")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        for index in 0..<8 {
            let bytes = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try Data(bytes).write(to: folder.appendingPathComponent("img\(index).jpg"))
        }
        #expect(try await Self.syncStatus(root) == nil)

        let sync = try SluiceProcess(["sync", root.path])
        defer { sync.signal(SIGKILL) }
        var running: [String: Any]?
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, sync.process.isRunning {
            if let figures = try await Self.syncStatus(root), figures["state"] as? String == "running",
                let transfer = figures["transfer"] as? [String: Any], let percent = transfer["percent"] as? Int, percent < 100,
                (transfer["bytes"] as? Int ?? 0) > 0
            {
                running = figures
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let live = try #require(running, "status never showed the sync running\n\(sync.stderr)")
        #expect(live["destination"] as? String == root.appendingPathComponent("nas").path)
        #expect(live["pid"] as? Int == Int(sync.process.processIdentifier))
        let transfer = try #require(live["transfer"] as? [String: Any])
        #expect((transfer["bytes_per_second"] as? Double ?? 0) > 0 && transfer["remaining_seconds"] != nil, "\(transfer)")
        // The text form while it runs: `sync to …/nas:  37% 0.9 MB at 0.5 MB/s, ETA 0:03[, 3/10 files]`.
        let text = try await SluiceProcess.run(["status", root.path])
        #expect(text.stdout.contains("sync to \(root.path)/nas: ") && text.stdout.contains("MB/s, ETA "), "\(text.stdout)")

        #expect(await sync.waitForExit(timeout: 120) == 0, "\(sync.stderr)")
        let finished = try #require(try await Self.syncStatus(root))
        #expect(finished["state"] as? String == "finished")
        #expect((finished["transfer"] as? [String: Any])?["percent"] as? Int == 100)
        let after = try await SluiceProcess.run(["status", root.path])
        #expect(after.stdout.contains("sync to \(root.path)/nas: finished at "), "\(after.stdout)")
    }
}
