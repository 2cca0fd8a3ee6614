import Foundation
import Testing

/// `sluice run --once`: the engine without the watcher, for crash recovery and error reporting.
@Suite struct RunOnceTests {
    static let config = "pipeline.autotag: false\nwatch.settle_ms: 0\nindex.batch_size: 2"

    /// Runs a dataset to review, edits a caption there, approves, runs to the end; returns the zip's entries.
    /// - Parameter always: environment for every run (the crashing one and the restart).
    static func runToFinalZip(
        crashAt crashPoint: String?, always: [String: String] = [:]
    ) async throws -> (entries: [String: [UInt8]], jobs: Int, crashed: Bool) {
        let root = try await TestRoot(config: config)
        defer { root.remove() }
        let dataset = try TestDatasets.booru(named: "crash", images: 5, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("crash"))
        // Normalize batches of two (its test hook) in the run that is killed, so a kill lands between batches.
        let environment = always.merging(crashPoint.map { ["SLUICE_CRASH_AT": $0, "SLUICE_NORMALIZE_BATCH": "2"] } ?? [:]) { $1 }
        var crashed = false

        func runOnce() async throws {
            let result = try await SluiceProcess.run(["run", root.url.path, "--once"], environment: environment)
            if result.killed { crashed = true }
            if result.killed || result.status != 0 {
                // The restart: the same command without the fault.
                let again = try await SluiceProcess.run(["run", root.url.path, "--once"], environment: always)
                #expect(again.status == 0, "\(again.stderr)")
            }
        }
        try await runOnce()
        let review = root.folder("review").appendingPathComponent("crash")
        #expect(FileManager.default.fileExists(atPath: review.appendingPathComponent("REVIEW.md").path))
        try "crash \\(edited\\), 1girl, 1girl, solo".write(to: review.appendingPathComponent("img_002.txt"), atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: review.appendingPathComponent("RESUME").path, contents: nil)
        try await runOnce()
        let zips = root.finalZips()
        #expect(zips.count == 1, "exactly one final zip")
        guard let zip = zips.first else { return ([:], root.jobCount(), crashed) }
        #expect(try ZipInspection.unzipTest(zip).ok)
        return (try ZipInspection.contents(of: zip), root.jobCount(), crashed)
    }

    @Test(arguments: [
        "after:adopt", "before:index", "index:batch", "after:index", "before:normalize", "normalize:batch", "after:normalize",
        "before:review", "after:review", "before:final_cleanup", "after:final_cleanup", "before:final_zip", "final_zip:batch",
        "final_zip:mid", "after:final_zip",
    ])
    func killAtAnyPointThenRestartGivesTheSameZip(_ crashPoint: String) async throws {
        // Chunks of 2 entries: the 10 entries of the final zip make 6 chunks, so `final_zip:batch` leaves work to resume.
        let chunks = ["SLUICE_FINAL_ZIP_BATCH": "2"]
        let reference = try await Self.runToFinalZip(crashAt: nil, always: chunks)
        let recovered = try await Self.runToFinalZip(crashAt: crashPoint, always: chunks)
        #expect(recovered.crashed, "the fault fired at \(crashPoint)")
        #expect(recovered.jobs == 1, "one job per dataset")
        #expect(recovered.entries.keys.sorted() == reference.entries.keys.sorted())
        #expect(recovered.entries == reference.entries, "byte-identical entries after a kill at \(crashPoint)")
        let edited = String(decoding: recovered.entries["img_002.txt"] ?? [], as: UTF8.self)
        #expect(edited.contains("edited"), "the caption edit survives: \(edited)")
    }

    /// A kill after the final zip's first chunk is recorded: the restart keeps the partial (same file, same first
    /// bytes), says it resumed at entry 2 of 10, and the zip is byte-identical to one the same job writes from scratch.
    @Test func killInTheFinalZipResumesWithoutRewritingTheRecordedEntries() async throws {
        let root = try await TestRoot(config: Self.config + "\npipeline.auto_approve_review: true")
        let scratch = URL(fileURLWithPath: root.url.path + "-from-scratch")
        defer {
            root.remove()
            try? FileManager.default.removeItem(at: scratch)
        }
        let dataset = try TestDatasets.booru(named: "resume", images: 5, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("resume"))
        let chunks = ["SLUICE_FINAL_ZIP_BATCH": "2"]
        let killed = try await SluiceProcess.run(
            ["run", root.url.path, "--once"], environment: chunks.merging(["SLUICE_CRASH_AT": "final_zip:batch"]) { $1 })
        #expect(killed.killed, "the fault fired: \(killed.stderr)")

        let manager = FileManager.default
        let final = root.folder("final")
        let partialName = try #require(try manager.contentsOfDirectory(atPath: final.path).first { $0.hasSuffix(".zip.partial") })
        let partial = final.appendingPathComponent(partialName)
        let jobID = try #require(try manager.contentsOfDirectory(atPath: root.folder(".sluice/jobs").path).first { !$0.hasPrefix(".") })
        let job = root.folder(".sluice/jobs").appendingPathComponent(jobID)
        let checkpoint = job.appendingPathComponent("final-zip.partial.jsonl")
        let lines = try String(contentsOf: checkpoint, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2, "a header and the first chunk: \(lines)")
        let chunk = try #require(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        let recordedOffset = try #require((chunk["chunk"] as? [String: Any])?["offset"] as? Int)
        let recordedBytes = try Data(contentsOf: partial).prefix(recordedOffset)
        let inode = try #require(try manager.attributesOfItem(atPath: partial.path)[.systemFileNumber] as? UInt64)

        // The same job at the same moment, its checkpoint removed: the restart there writes the zip from the start.
        try manager.copyItem(at: root.url, to: scratch)
        try manager.removeItem(at: scratch.appendingPathComponent(".sluice/jobs/\(jobID)/final-zip.partial.jsonl"))

        let restart = try await SluiceProcess.run(["run", root.url.path, "--once"], environment: chunks)
        #expect(restart.status == 0, "\(restart.stderr)")
        let zip = try #require(root.finalZips().first)
        #expect(try manager.attributesOfItem(atPath: zip.path)[.systemFileNumber] as? UInt64 == inode, "the partial itself became the zip")
        let bytes = try Data(contentsOf: zip)
        #expect(bytes.prefix(recordedOffset) == recordedBytes, "the recorded entries' bytes are kept")
        #expect(try ZipInspection.unzipTest(zip).ok)
        let jobRecord = try String(contentsOf: job.appendingPathComponent("job.json"), encoding: .utf8)
        #expect(jobRecord.contains("final zip: resumed at entry 2 of 10 (\(recordedOffset) bytes kept)"), "\(jobRecord)")
        #expect(!manager.fileExists(atPath: checkpoint.path), "the checkpoint goes once the zip is in place")
        #expect(!manager.fileExists(atPath: partial.path))

        let fresh = try await SluiceProcess.run(["run", scratch.path, "--once"], environment: chunks)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        let freshZip = scratch.appendingPathComponent("final").appendingPathComponent(zip.lastPathComponent)
        #expect(try Data(contentsOf: freshZip) == bytes, "byte-identical to the zip written without a kill")
        let freshRecord = try String(contentsOf: scratch.appendingPathComponent(".sluice/jobs/\(jobID)/job.json"), encoding: .utf8)
        #expect(!freshRecord.contains("resumed at entry"), "without its checkpoint the partial is swept and rewritten")
    }

    /// A checkpoint that does not match its partial (here: the partial cut short) is not used: the job log says so and
    /// the zip is written from the start, whole.
    @Test func aCheckpointThatDisagreesWithThePartialStartsOver() async throws {
        let root = try await TestRoot(config: Self.config + "\npipeline.auto_approve_review: true")
        defer { root.remove() }
        let dataset = try TestDatasets.booru(named: "cut", images: 5, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("cut"))
        let chunks = ["SLUICE_FINAL_ZIP_BATCH": "2"]
        let killed = try await SluiceProcess.run(
            ["run", root.url.path, "--once"], environment: chunks.merging(["SLUICE_CRASH_AT": "final_zip:batch"]) { $1 })
        #expect(killed.killed)
        let final = root.folder("final")
        let partialName = try #require(try FileManager.default.contentsOfDirectory(atPath: final.path).first { $0.hasSuffix(".zip.partial") })
        truncate(final.appendingPathComponent(partialName).path, 10)

        let restart = try await SluiceProcess.run(["run", root.url.path, "--once"], environment: chunks)
        #expect(restart.status == 0, "\(restart.stderr)")
        let zip = try #require(root.finalZips().first)
        #expect(try ZipInspection.unzipTest(zip).ok)
        #expect(try ZipInspection.contents(of: zip).count == 10)
        let jobs = root.folder(".sluice/jobs")
        let jobID = try #require(try FileManager.default.contentsOfDirectory(atPath: jobs.path).first { !$0.hasPrefix(".") })
        let jobRecord = try String(contentsOf: jobs.appendingPathComponent("\(jobID)/job.json"), encoding: .utf8)
        #expect(jobRecord.contains("final zip: not resuming the partial zip"), "\(jobRecord)")
        #expect(!jobRecord.contains("resumed at entry"))
    }

    @Test func brokenConfigNamesFileLineAndColumn() async throws {
        let root = try await TestRoot(config: Self.config)
        defer { root.remove() }
        let config = root.url.appendingPathComponent("sluice.yaml")
        try "pipeline:\n  autotag: false\nwatch:\n  settle_ms: [3\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(result.status != 0)
        #expect(result.stderr.range(of: "\(config.path):\\d+:\\d+: ", options: .regularExpression) != nil, "\(result.stderr)")
        let watch = try await SluiceProcess.run(["watch", root.url.path], timeout: 20)
        #expect(watch.status != 0 && watch.stderr.contains(config.path), "\(watch.stderr)")
    }

    @Test func unreadableImageIsNamedAndTheRestGoOn() async throws {
        let root = try await TestRoot(config: Self.config + "\npipeline.auto_approve_review: true")
        defer { root.remove() }
        let dataset = try TestDatasets.booru(named: "broken", images: 3, in: root.url.deletingLastPathComponent())
        try Data("this is not a png at all".utf8).write(to: dataset.appendingPathComponent("corrupt.png"))
        try "1girl".write(to: dataset.appendingPathComponent("corrupt.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("broken"))
        let result = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("corrupt.png"), "the error names the file: \(result.stderr)")
        let zip = try #require(root.finalZips().first)
        let names = try ZipInspection.contents(of: zip).keys
        #expect(names.filter { $0.hasSuffix(".png") }.count == 3)
        #expect(!names.contains("corrupt.png"))
    }

    @Test func pauseAndResumeGoThroughTheSameControlPath() async throws {
        let root = try await TestRoot(config: Self.config)
        defer { root.remove() }
        let dataset = try TestDatasets.booru(named: "ctl", images: 2, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("ctl"))
        _ = try await SluiceProcess.run(["run", root.url.path, "--once"])
        let paused = try await SluiceProcess.run(["pause", "ctl", "--root", root.url.path])
        #expect(paused.status == 0 && paused.stdout.contains("PAUSED"), "\(paused.stdout)\(paused.stderr)")
        FileManager.default.createFile(atPath: root.folder("review").appendingPathComponent("ctl/RESUME").path, contents: nil)
        _ = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(root.finalZips().isEmpty, "a paused job does not move")
        let resumed = try await SluiceProcess.run(["resume", "ctl", "--root", root.url.path])
        #expect(resumed.stdout.contains("WAITING_MANUAL"), "\(resumed.stdout)")
        _ = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(root.finalZips().count == 1)
        let status = try await SluiceProcess.run(["status", root.url.path, "--json"])
        #expect(status.stdout.contains("\"status\" : \"COMPLETED\""), "\(status.stdout)")
    }

    /// A control request while `run --once` holds the lock wakes it (SIGUSR1) instead of killing it mid-step.
    @Test func controlRequestDuringRunOnceIsAppliedNotFatal() async throws {
        let root = try await TestRoot(config: Self.config + "\nindex.batch_size: 20")
        defer { root.remove() }
        let dataset = try TestDatasets.many(named: "busy", images: 400, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("busy"))
        let run = try SluiceProcess(["run", root.url.path, "--once"])
        defer { run.signal(SIGKILL) }
        #expect(await eventually(timeout: 60) { root.jobCount() == 1 })
        let paused = try await SluiceProcess.run(["pause", "busy", "--root", root.url.path])
        #expect(paused.status == 0, "\(paused.stdout)\(paused.stderr)")
        #expect(await run.waitForExit(timeout: 120) == 0, "run --once survives the wake-up: \(run.stderr)")
        let status = try await SluiceProcess.run(["status", root.url.path])
        #expect(status.stdout.contains("PAUSED"), "the pause was applied by the run: \(status.stdout)\(run.stderr)")
    }

    /// SIGTERM as soon as the process has set up its signal mask (before the engine, the watcher or any handler
    /// runs) still ends in a clean exit 0, for the daemon and for `run --once`.
    @Test(arguments: ["watch", "run"]) func sigtermAtOnceExitsCleanly(_ command: String) async throws {
        let root = try await TestRoot(config: Self.config)
        defer { root.remove() }
        let process = try SluiceProcess(command == "watch" ? ["watch", root.url.path] : ["run", root.url.path, "--once"])
        defer { process.signal(SIGKILL) }
        let pid = process.process.processIdentifier
        #expect(await eventually(timeout: 10, every: 0.001) { Self.sigtermIsBlockedOrCaught(pid) || !process.process.isRunning })
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: 30) == 0, "\(process.stderr)")
        #expect(process.process.terminationReason == .exit, "exited, not killed by the signal")
    }

    /// Whether the main thread of `pid` blocks SIGTERM or the process handles it (/proc/PID/status): the moment
    /// `main` has taken the signals over, before the engine, the watcher or the signal reader exist.
    static func sigtermIsBlockedOrCaught(_ pid: Int32) -> Bool {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let bit = UInt64(1) << UInt64(SIGTERM - 1)
        return status.split(separator: "\n").contains { line in
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0] == "SigBlk" || parts[0] == "SigCgt", let mask = UInt64(parts[1], radix: 16) else { return false }
            return mask & bit != 0
        }
    }
}
