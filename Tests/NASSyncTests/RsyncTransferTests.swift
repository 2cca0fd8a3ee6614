import Foundation
import Glibc
import RsyncDaemon
import Testing
@testable import NASSync

/// Values recorded from rsync's callbacks (the sync runs on this thread; the lock guards the test's reads).
final class Recorder: @unchecked Sendable {
    // @unchecked Sendable: every access to the arrays goes through `lock`.
    private let lock = NSLock()
    private var delaysStorage: [Double] = []
    private var pidsStorage: [Int32] = []
    var delays: [Double] { lock.withLock { delaysStorage } }
    var pids: [Int32] { lock.withLock { pidsStorage } }
    func delay(_ value: Double) { lock.withLock { delaysStorage.append(value) } }
    func pid(_ value: Int32) { lock.withLock { pidsStorage.append(value) } }
}

@Suite("NASSync with the real rsync: local folder, loopback daemon, full disk, interruption, mirror and its cap", .serialized)
struct RsyncTransferTests {
    func runner(_ fixture: SyncFixture, to destination: String, recorder: Recorder = Recorder(),
                configure: (inout SyncSettings) -> Void = { _ in }) throws -> SyncRunner {
        var settings = SyncSettings(destination: try SyncDestination(parsing: destination))
        settings.config.retryDelaySeconds = 1
        configure(&settings)
        return SyncRunner(source: fixture.final, settings: settings, sleep: { recorder.delay($0) },
                          processStarted: { recorder.pid($0) })
    }

    @Test func syncToLocalFolderSendsImagesWithSidecarsNeverSluiceFilesAndSecondRunSendsNothing() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let images = try fixture.addImages(5, bytes: 20_000)
        try fixture.write("state", to: ".sluice/jobs/x.json")
        try fixture.write("partial", to: "Fanart/.sluice-partial/img000.jpg")
        try fixture.write("half", to: "Fanart/download.jpg.part")
        try fixture.write("<x/>", to: "Fanart/download.jpg.part.xmp")
        try fixture.write("report", to: ".sluice-reports/job.json")
        let destination = fixture.base + "/nas"
        var readings: [TransferProgress] = []
        let first = try runner(fixture, to: destination).run(dryRun: false, progress: { readings.append($0) })

        let expected = (images + images.map { $0 + ".xmp" }).sorted()
        #expect(SyncFixture.files(under: destination) == expected)
        #expect(Set(first.sent) == Set(expected))
        #expect(first.bytesSent >= 100_000)
        #expect(first.verified)
        #expect(first.attempts == 1)
        #expect(readings.last?.percent == 100)
        for path in images {
            #expect(FileManager.default.contentsEqual(atPath: fixture.final + "/" + path, andPath: destination + "/" + path))
        }

        let second = try runner(fixture, to: destination).run(dryRun: false)
        #expect(second.sent.isEmpty)
        #expect(second.summary.contains("sent 0 file(s)"))
    }

    @Test func liveFiguresAreWrittenAtMostOnceASecondWhileRsyncRunsAndFinishedAtTheEnd() async throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        _ = try fixture.addImages(8, bytes: 200_000)
        let file = fixture.base + "/state/sync-progress.json"
        // 1.6 MB at 400 KiB/s: about four seconds of transfer to watch.
        let sync = try runner(fixture, to: fixture.base + "/nas") {
            $0.config.bandwidthLimitKiB = 400
            $0.progressFile = file
        }
        let done = Task.detached { try sync.run(dryRun: false) }
        var seen: [SyncProgressFile] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let figures = SyncProgressFile.read(from: file), seen.last != figures { seen.append(figures) }
            if seen.last?.state == .finished { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let result = try await done.value
        #expect(result.sent.count == 16)
        let running = seen.filter { $0.state == .running && $0.transfer != nil }
        // Mid-transfer readings: part of the bytes, a rate, files done of the total, the writer's pid.
        #expect(running.contains { ($0.transfer?.percent ?? 100) < 100 && ($0.transfer?.bytesPerSecond ?? 0) > 0 }, "\(seen)")
        #expect(running.allSatisfy { $0.pid == getpid() && $0.destination == fixture.base + "/nas" })
        #expect(running.contains { ($0.transfer?.filesDone ?? 0) > 0 && ($0.transfer?.filesTotal ?? 0) >= 16 }, "\(seen)")
        // At most once a second: consecutive running writes are at least a second apart.
        let times = running.map(\.updatedAt)
        #expect(zip(times, times.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 0.99 }, "\(times)")
        let last = try #require(seen.last)
        #expect(last.state == .finished && last.transfer?.percent == 100 && last.transfer?.filesDone == last.transfer?.filesTotal, "\(last)")
        #expect(last.summary.hasPrefix("sync to \(fixture.base)/nas: finished at "))

        // A figure left as running by a process that is gone reads as interrupted.
        var orphan = last
        orphan.state = .running
        orphan.pid = Int32.max - 1
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(orphan).write(to: URL(fileURLWithPath: file))
        #expect(SyncProgressFile.read(from: file)?.state == .interrupted)
    }

    @Test func dryRunSendsNothingButCountsWhatWouldGo() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        try fixture.addImages(3, bytes: 1000)
        let destination = fixture.base + "/nas"
        let plan = try runner(fixture, to: destination).run(dryRun: true)
        #expect(plan.dryRun && plan.sent.count == 6)
        #expect(SyncFixture.files(under: destination).isEmpty)
    }

    @Test func syncToRsyncDaemonOnLoopback() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let images = try fixture.addImages(4, bytes: 50_000)
        let daemon = try RsyncDaemon(base: fixture.base)
        defer { daemon.stop() }
        let result = try runner(fixture, to: "rsync://127.0.0.1:\(daemon.port)/pics/library").run(dryRun: false)
        #expect(result.verified)
        #expect(SyncFixture.files(under: daemon.modulePath + "/library") == (images + images.map { $0 + ".xmp" }).sorted())
        let again = try runner(fixture, to: "rsync://127.0.0.1:\(daemon.port)/pics/library").run(dryRun: false)
        #expect(again.sent.isEmpty)
    }

    @Test(.enabled(if: LoopbackSSHServer.isInstalled, "sshd is not installed (scripts/install-deps.sh installs openssh-server)"))
    func syncOverSSHToHostPath() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let images = try fixture.addImages(3, bytes: 30_000)
        let server = try LoopbackSSHServer(base: fixture.base)
        defer { server.stop() }
        let destination = fixture.base + "/nas-ssh"
        let sync = try runner(fixture, to: "127.0.0.1:" + destination) { $0.config.sshCommand = server.sshCommand }
        let result = try sync.run(dryRun: false)
        #expect(result.verified && result.sent.count == 6)
        #expect(SyncFixture.files(under: destination) == (images + images.map { $0 + ".xmp" }).sorted())
    }

    @Test func unreachableDaemonIsRetriedWithDoublingDelaysThenExplained() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        try fixture.addImages(1, bytes: 100)
        let recorder = Recorder()
        let port = try RsyncDaemon.freePort()
        let sync = try runner(fixture, to: "rsync://127.0.0.1:\(port)/pics", recorder: recorder) { $0.config.attempts = 3 }
        do {
            _ = try sync.run(dryRun: false)
            Issue.record("a sync to a closed port succeeded")
        } catch {
            guard case .rsyncFailed(let code, let attempts, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(code == 10)
            #expect(attempts == 3)
            #expect(error.description.contains("network error"))
        }
        #expect(recorder.delays == [1, 2])
    }

    @Test func localDeletionIsNotPropagatedUnlessMirror() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let images = try fixture.addImages(3, bytes: 1000)
        let destination = fixture.base + "/nas"
        _ = try runner(fixture, to: destination).run(dryRun: false)
        try FileManager.default.removeItem(atPath: fixture.final + "/" + images[0])
        try FileManager.default.removeItem(atPath: fixture.final + "/" + images[0] + ".xmp")
        try fixture.write("nas's own", to: "../nas/.nas-index")

        let additive = try runner(fixture, to: destination).run(dryRun: false)
        #expect(additive.deleted.isEmpty)
        #expect(FileManager.default.fileExists(atPath: destination + "/" + images[0]))

        let mirror = try runner(fixture, to: destination) { $0.config.mirror = true }.run(dryRun: false)
        #expect(Set(mirror.deleted) == [images[0], images[0] + ".xmp"])
        #expect(!FileManager.default.fileExists(atPath: destination + "/" + images[0]))
        #expect(!FileManager.default.fileExists(atPath: destination + "/" + images[0] + ".xmp"))
        #expect(FileManager.default.fileExists(atPath: destination + "/.nas-index"))
        #expect(FileManager.default.fileExists(atPath: destination + "/" + images[1]))
    }

    @Test func deletionCapRefusesMirrorAndDeletesNothing() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let images = try fixture.addImages(4, bytes: 1000)
        let destination = fixture.base + "/nas"
        _ = try runner(fixture, to: destination).run(dryRun: false)
        for path in images.prefix(2) { try FileManager.default.removeItem(atPath: fixture.final + "/" + path) }
        let sync = try runner(fixture, to: destination) { $0.config.mirror = true; $0.config.maxDeletions = 1 }
        #expect(throws: SyncError.deletionCapExceeded(count: 2, cap: 1, examples: images.prefix(2).sorted())) {
            try sync.run(dryRun: false)
        }
        #expect(SyncFixture.files(under: destination).count == 8)
    }

    @Test func removeLocalAfterVerifyDeletesOnlyVerifiedFiles() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let images = try fixture.addImages(2, bytes: 1000)
        try fixture.write("state", to: ".sluice/state.json")
        let destination = fixture.base + "/nas"
        let result = try runner(fixture, to: destination) { $0.config.removeLocalAfterVerify = true }.run(dryRun: false)
        #expect(result.removedLocally.sorted() == (images + images.map { $0 + ".xmp" }).sorted())
        #expect(SyncFixture.files(under: fixture.final) == [".sluice/state.json"])
        #expect(SyncFixture.files(under: destination).count == 4)
    }

    @Test func interruptedTransferResumesWithoutResendingFinishedFiles() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let images = try fixture.addImages(12, bytes: 400_000)
        let destination = fixture.base + "/nas"
        let recorder = Recorder()
        let slow = try runner(fixture, to: destination, recorder: recorder) { $0.config.bandwidthLimitKiB = 1500 }
        let killer = Thread {
            // Kill rsync once three images have fully arrived (rsync writes into a temporary name, then renames).
            _ = waitUntil(30) {
                images.prefix(3).allSatisfy { FileManager.default.fileExists(atPath: destination + "/" + $0) }
            }
            if let pid = recorder.pids.first { kill(pid, SIGKILL) }
        }
        killer.start()
        #expect(throws: SyncError.self) { try slow.run(dryRun: false) }
        let arrived = images.filter { path in
            FileManager.default.contentsEqual(atPath: fixture.final + "/" + path, andPath: destination + "/" + path)
        }
        #expect(arrived.count >= 3 && arrived.count < images.count)

        let resumed = try runner(fixture, to: destination).run(dryRun: false)
        #expect(resumed.verified)
        #expect(Set(resumed.sent).isDisjoint(with: arrived))
        #expect(SyncFixture.files(under: destination).filter { !$0.hasPrefix(".") && !$0.contains("/.") }.count == 24)
    }

    @Test func fullDestinationFailsThenResumesOnceSpaceIsFreed() throws {
        let fixture = try SyncFixture()
        defer { fixture.remove() }
        let destination = fixture.base + "/tmpfs"
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let (status, output) = try shell(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", destination])
        try #require(status == 0, "mount refused (needs root): \(output)")
        defer { _ = try? shell(["umount", destination]) }
        let images = try fixture.addImages(10, bytes: 300_000)
        let recorder = Recorder()
        let sync = try runner(fixture, to: destination, recorder: recorder) { $0.config.attempts = 2 }
        do {
            _ = try sync.run(dryRun: false)
            Issue.record("3 MB fitted into a 2 MB tmpfs")
        } catch {
            guard case .rsyncFailed(let code, _, let detail) = error else { Issue.record("unexpected \(error)"); return }
            #expect([11, 12, 23].contains(code))
            #expect(detail.contains("No space left on device"))
        }
        let arrived = images.filter { path in
            FileManager.default.contentsEqual(atPath: fixture.final + "/" + path, andPath: destination + "/" + path)
        }
        #expect(try shell(["mount", "-o", "remount,size=8m", destination]).0 == 0)
        let resumed = try runner(fixture, to: destination).run(dryRun: false)
        #expect(resumed.verified)
        #expect(Set(resumed.sent).isDisjoint(with: arrived))
        for path in images {
            #expect(FileManager.default.contentsEqual(atPath: fixture.final + "/" + path, andPath: destination + "/" + path))
        }
    }
}
