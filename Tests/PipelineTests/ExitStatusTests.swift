import Foundation
import Testing

/// The exit statuses scripts, cron and the systemd unit rely on: 0 done or waiting, 1 failed, 2 usage, 78 config.
@Suite struct ExitStatusTests {
    @Test func runOnceExitsOneWhenAJobFailed() async throws {
        let root = try await TestRoot(config: "pipeline.autotag: false\nwatch.settle_ms: 0")
        defer { root.remove() }
        let empty = root.folder("inbox").appendingPathComponent("nothing-here")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try "not an image".write(to: empty.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
        let result = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(result.status == 1, "a failed job exits 1: \(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("FAILED"))
    }

    @Test func runOnceExitsZeroWhenJobsWaitForTheUser() async throws {
        let root = try await TestRoot(config: "pipeline.autotag: false\nwatch.settle_ms: 0")
        defer { root.remove() }
        let dataset = try TestDatasets.booru(named: "waits", images: 2, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("waits"))
        let result = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(result.status == 0, "waiting in review is not a failure: \(result.stderr)")
        #expect(result.stdout.contains("WAITING_MANUAL"))
    }

    @Test(arguments: [["run", "/nonexistent-root-for-sluice-tests", "--once"], ["watch", "/nonexistent-root-for-sluice-tests"]])
    func aMissingOrBrokenConfigExitsSeventyEight(_ arguments: [String]) async throws {
        let missing = try await SluiceProcess.run(arguments)
        #expect(missing.status == 78, "\(arguments): \(missing.stderr)")

        let root = try await TestRoot(config: "")
        defer { root.remove() }
        try "watch:\n  settle_ms: [3\n".write(to: root.url.appendingPathComponent("sluice.yaml"), atomically: true, encoding: .utf8)
        let broken = try await SluiceProcess.run([arguments[0], root.url.path] + arguments.dropFirst(2))
        #expect(broken.status == 78, "\(arguments[0]) with a broken sluice.yaml: \(broken.stderr)")
        #expect(broken.stderr.contains("sluice.yaml:"), "the error names the file: \(broken.stderr)")
    }

    @Test(arguments: [["run"], ["run", "/tmp", "--no-such-flag"], ["no-such-command"]])
    func aUsageErrorExitsTwo(_ arguments: [String]) async throws {
        let result = try await SluiceProcess.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
    }

    @Test func helpExitsZeroAndListsTheExitStatuses() async throws {
        let result = try await SluiceProcess.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("78"), "\(result.stdout)")
    }

    @Test func anAmbiguousJobNameListsTheMatchingIDs() async throws {
        let root = try await TestRoot(config: "pipeline.autotag: false\nwatch.settle_ms: 0")
        defer { root.remove() }
        for name in ["alpha", "beta"] {
            let dataset = try TestDatasets.booru(named: name, images: 1, in: root.url.deletingLastPathComponent())
            try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent(name))
        }
        let run = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(run.status == 0, "\(run.stderr)")
        let ids = try FileManager.default.contentsOfDirectory(atPath: root.url.appendingPathComponent(".sluice/jobs").path)
            .filter { !$0.hasPrefix(".") }.sorted()
        #expect(ids.count == 2)
        let commonPrefix = String(zip(ids[0], ids[1]).prefix { $0 == $1 }.map(\.0))
        let result = try await SluiceProcess.run(["pause", String(commonPrefix.prefix(4)), "--root", root.url.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("ambiguous"), "\(result.stderr)")
        for id in ids { #expect(result.stderr.contains(id), "lists \(id): \(result.stderr)") }
    }
}
