import Foundation
import Glibc
import Jobs
import Pipeline
import Testing

/// A small tmpfs of its own (mount needs root; the tests are skipped, saying so, where it is refused).
final class SmallTmpfs {
    let url: URL

    init?(megabytes: Int, at mountPoint: URL? = nil) {
        url = mountPoint ?? FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tmpfs-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard Self.mount(["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", url.path]) else {
            try? FileManager.default.removeItem(at: url)
            return nil
        }
    }

    /// Remounts read-only (`true`) or read-write.
    func remount(readOnly: Bool) -> Bool { Self.mount(["-o", "remount,\(readOnly ? "ro" : "rw")", url.path]) }

    /// Fills the file system up to `leaving` bytes free with one file; returns it.
    func fill(leaving free: Int) throws -> URL {
        let filler = url.appendingPathComponent("filler")
        var info = statvfs()
        guard statvfs(url.path, &info) == 0 else { throw TestFailure("statvfs \(url.path)") }
        let available = Int(info.f_bavail) * Int(info.f_frsize)
        let size = max(0, available - free)
        let fd = open(filler.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x5A, count: 1 << 16)
        var written = 0
        while written < size {
            let got = chunk.withUnsafeBytes { write(fd, $0.baseAddress, min(chunk.count, size - written)) }
            guard got > 0 else { break }
            written += got
        }
        return filler
    }

    /// Unmounts (lazily) and removes the mount point.
    func unmount() {
        _ = Self.mount(["-l", url.path], command: "/bin/umount")
        try? FileManager.default.removeItem(at: url)
    }

    deinit { unmount() }

    static let isAvailable: Bool = {
        guard getuid() == 0, let probe = SmallTmpfs(megabytes: 1) else { return false }
        _ = probe
        return true
    }()

    @discardableResult
    private static func mount(_ arguments: [String], command: String = "/bin/mount") -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// Issue 9 item 3: a full disk fails the job with the room it needs and where, leaves no partial output, never spins,
/// and `sluice retry` completes once space is freed.
@Suite(.enabled(if: SmallTmpfs.isAvailable, "needs root to mount a small tmpfs"), .serialized)
struct FullDiskTests {
    static let config = "pipeline.autotag: false\nwatch.settle_ms: 0\nindex.batch_size: 8"

    @Test func aFullDiskFailsNamingTheRoomNeededAndRetryCompletesOnceFreed() async throws {
        try await onOwnThread {
            let disk = try #require(SmallTmpfs(megabytes: 16))
            let harness = try EngineHarness(config: Self.config, parent: disk.url)
            let engine = try harness.engine()
            let drop = try harness.drop("full", images: 2)
            for seed in 0..<4 {
                try TestDatasets.png(width: 700, height: 500, seed: 40 + seed).write(to: drop.appendingPathComponent("big_\(seed).png"))
            }
            try engine.reconcile { _ in true }
            #expect(engine.runUntilIdle(limit: 2) == 2)
            #expect(try harness.onlyJob().step == .normalize)

            let filler = try disk.fill(leaving: 48 << 10)
            #expect(engine.runUntilIdle(limit: 20) == 1, "the failed step runs once, no loop")
            let job = try harness.onlyJob()
            #expect(job.status == .failed)
            let failure = job.machine.failure ?? ""
            #expect(failure.contains("no space left on device: need about"), "\(failure)")
            #expect(failure.contains(disk.url.path))
            let folder = JobFolder(JobStore(stateDirectory: harness.layout.state).folder(of: job.id))
            #expect(!FileManager.default.fileExists(atPath: folder.normalizedStaging.path), "partial output removed")

            try FileManager.default.removeItem(at: filler)
            try harness.request(.retry, for: job)
            try engine.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engine, harness).last == "WAITING_MANUAL review")
        }
    }

    @Test func aStateSaveThatFailsIsRetriedWithBackoffNotInALoop() async throws {
        try await onOwnThread {
            let disk = try #require(SmallTmpfs(megabytes: 16))
            let harness = try EngineHarness(config: Self.config, parent: disk.url)
            let engine = try harness.engine()
            try harness.drop("readonly", images: 2)
            try engine.reconcile { _ in true }
            #expect(engine.runUntilIdle(limit: 1) == 1)
            try #require(disk.remount(readOnly: true))
            // The step fails and its state cannot be saved: the job stays RUNNING on disk but is left alone.
            #expect(engine.runUntilIdle(limit: 50) == 1)
            #expect(engine.runUntilIdle(limit: 50) == 0, "nothing reruns before the backoff ends")
            #expect(harness.log.contains("trying it again in 1 s"), "\(harness.log.text)")
            try #require(disk.remount(readOnly: false))
            harness.clock.advance(by: .seconds(2))
            #expect(try DatasetProfileTests.stepByStep(engine, harness).last == "WAITING_MANUAL review")
        }
    }

    @Test func aDropOnAnotherFileSystemIsCopiedWithoutFollowingItsSymlinks() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.config)
            defer { harness.remove() }
            let disk = try #require(SmallTmpfs(megabytes: 16, at: harness.layout.inbox))
            defer { disk.unmount() }
            let engine = try harness.engine()
            let drop = try harness.drop("across", images: 2)
            let outside = harness.layout.root.appendingPathComponent("private.png")
            try TestDatasets.png(width: 40, height: 40, seed: 77).write(to: outside)
            try FileManager.default.createSymbolicLink(atPath: drop.appendingPathComponent("secret.png").path, withDestinationPath: outside.path)
            try FileManager.default.createSymbolicLink(atPath: drop.appendingPathComponent("loop").path, withDestinationPath: ".")
            try engine.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engine, harness).last == "WAITING_MANUAL review")
            #expect(!FileManager.default.fileExists(atPath: drop.path), "the drop left inbox/ (copied across, then removed)")
            let index = try HostileDropTests.index(harness)
            #expect(index.images.map(\.path) == ["img_000.png", "img_001.png"])
            #expect(index.leftOut.map(\.path) == ["loop", "secret.png"])
            #expect(FileManager.default.fileExists(atPath: outside.path), "the link's target is untouched")
        }
    }
}
