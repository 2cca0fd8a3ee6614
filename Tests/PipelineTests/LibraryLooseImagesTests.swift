import Foundation
import Glibc
import Imaging
import Jobs
import Testing

/// Loose images copied straight into a library root's inbox/, through the real `sluice watch` and its real watcher.
@Suite(.serialized) struct LibraryLooseImagesTests {
    @Test func looseImagesCopiedTogetherBecomeOneJob() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-loose-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let initialized = try await SluiceProcess.run(["init", root.path, "--profile", "library"])
        #expect(initialized.status == 0, "\(initialized)")
        let yaml = """
            profile: library
            library:
              review: never
              stages:
                lookup: false
            watch:
              settle_ms: 1000

            """
        try Data(yaml.utf8).write(to: root.appendingPathComponent("sluice.yaml"))
        let daemon = try SluiceProcess(["watch", root.path])
        defer { daemon.signal(SIGKILL) }
        #expect(await eventually(timeout: 60) { daemon.stderr.contains("watching") }, "\(daemon.stderr)")

        // As `cp *.png inbox/` does: each file created and written in place; one of them slowly, so the other eleven
        // settle while it is still being written, and wait for it.
        let inbox = root.appendingPathComponent("inbox")
        let names = (0..<12).map { String(format: "photo-%02d.png", $0) }
        let staged = root.appendingPathComponent("last.png")
        try ImageEncoder.write(PixelImage.pattern(width: 40, height: 40, seed: 799), as: .png, to: staged.path)
        // The slow writer is its own process (dd, 20 parts 100 ms apart: longer than the settle period in all, never
        // quiet for as long as it), so a busy test process cannot stall it into a pause the watcher takes for the end.
        let size = try Data(contentsOf: staged).count
        let part = (size + 19) / 20
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = [
            "-c", "for i in $(seq 0 19); do dd if=\"$1\" bs=\(part) skip=$i count=1 2>/dev/null >> \"$2\"; sleep 0.1; done", "writer",
            staged.path, inbox.appendingPathComponent(names[11]).path,
        ]
        try writer.run()
        for (index, name) in names.dropLast().enumerated() {
            try ImageEncoder.write(PixelImage.pattern(width: 40, height: 40, seed: UInt64(700 + index)), as: .png, to: inbox.appendingPathComponent(name).path)
        }
        #expect(await eventually(timeout: 60) { !writer.isRunning } && writer.terminationStatus == 0)

        let store = try JobStore(stateDirectory: root.appendingPathComponent(".sluice"))
        let completed = await eventually(timeout: 120, every: 0.2) {
            let jobs = (try? store.all().jobs) ?? []
            return !jobs.isEmpty && jobs.allSatisfy { $0.status == .completed }
        }
        #expect(completed, "\(daemon.stderr)")
        let jobs = try store.all().jobs
        #expect(jobs.count == 1, "one job for the twelve images: \(jobs.map(\.dataset))")
        #expect(jobs.first?.dataset.hasPrefix("loose-") == true, "\(jobs.map(\.dataset))")
        #expect(daemon.stderr.contains("12 loose image(s) in inbox/ grouped into one drop"), "\(daemon.stderr)")
        let placed = (FileManager.default.enumerator(atPath: root.appendingPathComponent("final").path)?.allObjects as? [String] ?? [])
            .map { ($0 as NSString).lastPathComponent }.filter { $0.hasSuffix(".png") }.sorted()
        #expect(placed == names)
        let lastPlaced = FileManager.default.enumerator(atPath: root.appendingPathComponent("final").path)?.allObjects
            .compactMap { $0 as? String }.first { $0.hasSuffix(names[11]) }
        #expect(try Data(contentsOf: root.appendingPathComponent("final/" + (lastPlaced ?? ""))) == Data(contentsOf: staged), "taken whole")
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { !$0.hasPrefix(".") }.isEmpty)
    }
}
