import CategoryLearning
import LearningStream
import Foundation
import Glibc
import Hashing
import Testing

/// Log lines from the watcher, readable by the test.
final class LogLines: @unchecked Sendable {
    // @unchecked Sendable: `lines` is only touched while `lock` is held.
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

@Suite("CategoryLearning with real files: inotify moves under final/, SQLite store, start-up reconciliation", .serialized)
struct MoveLearningTests {
    let root = NSTemporaryDirectory() + "sluice-learn-\(UUID().uuidString)"
    var final: String { root + "/final" }

    /// Places an image where Sluice would: records the placement, then writes the file and its sidecar.
    func place(_ image: ImageStream.Image, in category: String, store: CorrectionStore, suggested: String?) throws {
        let relative = category + "/" + image.name
        try FileManager.default.createDirectory(atPath: final + "/" + category, withIntermediateDirectories: true)
        let bytes = Data("\(image.name) \(image.tags)".utf8)
        try store.recordPlacement(PlacedImage(
            sha256: FileDigest.hex(of: bytes), finalPath: relative, bytes: Int64(bytes.count), tags: image.tags,
            suggestedCategory: suggested))
        try bytes.write(to: URL(fileURLWithPath: final + "/" + relative))
        try Data("<x:xmpmeta/>".utf8).write(to: URL(fileURLWithPath: final + "/" + relative + ".xmp"))
    }

    func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }

    @Test func movesUnderTheRunningWatcherTeachTheHiddenRuleAndMovesWhileDownAreLearnedAtStartUp() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: final, withIntermediateDirectories: true)
        let store = try CorrectionStore(path: CorrectionStore.path(stateFolder: root + "/.sluice"))
        let log = LogLines()
        let recorder = CorrectionRecorder(finalFolder: final, store: store, log: { log.append($0) })
        let watcher = try FinalFolderWatcher(recorder: recorder)
        try watcher.start()

        let stream = ImageStream.make(count: 500)
        var curve: [String] = []
        var learnedAccuracy: [Double] = []
        var rulesAccuracy: [Double] = []
        var expectedCorrections = 0
        for block in stride(from: 0, to: stream.count, by: 50) {
            let learner = try store.learner(settings: LearningSettings())
            var moves: [(name: String, from: String, to: String)] = []
            var rulesRight = 0
            for image in stream[block..<block + 50] {
                let suggestion = learner.suggest(image.tags)
                let placed = suggestion?.isUsed == true ? suggestion!.category : ImageStream.ruleCategory(image.tags)
                try place(image, in: placed, store: store, suggested: suggestion?.category)
                let wanted = ImageStream.hiddenCategory(image.tags)
                if ImageStream.ruleCategory(image.tags) == wanted { rulesRight += 1 }
                if placed != wanted { moves.append((image.name, placed, wanted)) }
            }
            #expect(try UserMoves.replay(moves, final: final) == 0)
            expectedCorrections += moves.count
            let recorded = try waitUntil(20) { try store.corrections().count == expectedCorrections }
            let count = try store.corrections().count
            #expect(recorded, "block \(block / 50 + 1): \(count) of \(expectedCorrections) moves recorded")
            learnedAccuracy.append(Double(50 - moves.count) / 50)
            rulesAccuracy.append(Double(rulesRight) / 50)
            curve.append(String(format: "block %2d: learned %.2f, rules only %.2f, moves %d", block / 50 + 1,
                                learnedAccuracy.last!, rulesAccuracy.last!, moves.count))
        }
        print("learning curve (real mv under the watcher):\n" + curve.joined(separator: "\n"))
        let lateLearned = learnedAccuracy.suffix(5).reduce(0, +) / 5
        let lateRules = rulesAccuracy.suffix(5).reduce(0, +) / 5
        #expect(lateLearned > lateRules + 0.2)

        // Every sidecar followed its image, whether the user moved it or not.
        let sidecarsFollowed = waitUntil(5) {
            stream.allSatisfy { image in
                let category = ImageStream.hiddenCategory(image.tags)
                return FileManager.default.fileExists(atPath: "\(final)/\(category)/\(image.name).xmp")
            }
        }
        #expect(sidecarsFollowed)
        #expect(log.all.contains { $0.contains("moved the sidecar") })
        let suggestion = try #require(try store.learner(settings: LearningSettings()).suggest(
            [LearningTag(category: "copyright", tag: "vocaloid"), LearningTag(category: "character", tag: "hatsune miku")]))
        #expect(suggestion.category == "Vocaloid" && suggestion.isUsed)
        #expect(suggestion.explanation.hasPrefix("learned: "))

        // Moves while the watcher is down: found at start-up by content hash, sidecars moved along.
        watcher.stop()
        let before = try store.corrections().count
        let sample = try store.allPlacements().filter { $0.category == "Manga" }.prefix(4)
        for placement in sample {
            let name = (placement.finalPath as NSString).lastPathComponent
            try FileManager.default.createDirectory(atPath: final + "/Comics", withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: final + "/" + placement.finalPath, toPath: final + "/Comics/" + name)
        }
        let manifests = stream.prefix(10).map { image in
            PlacedImage(sha256: "not-known", finalPath: "Nowhere/\(image.name)", tags: image.tags)
        }
        let reopened = try CorrectionStore(path: store.path)
        let learned = try StartupReconciler(recorder: CorrectionRecorder(finalFolder: final, store: reopened)).reconcile(manifests: manifests)
        #expect(learned.count == sample.count)
        #expect(learned.allSatisfy { $0.fromCategory == "Manga" && $0.chosenCategory == "Comics" })
        #expect(try reopened.corrections().count == before + sample.count)
        for placement in sample {
            let name = (placement.finalPath as NSString).lastPathComponent
            #expect(FileManager.default.fileExists(atPath: final + "/Comics/" + name + ".xmp"))
            #expect(try reopened.placement(sha256: placement.sha256)?.finalPath == "Comics/" + name)
        }
        // A reconcile told to stop hashes nothing and learns nothing (the daemon is stopping); the next one still can.
        var stopping = StartupReconciler(recorder: CorrectionRecorder(finalFolder: final, store: reopened))
        stopping.shouldStop = { true }
        let elsewhere = try #require(try reopened.allPlacements().first { $0.category == "Private" })
        let movedName = (elsewhere.finalPath as NSString).lastPathComponent
        try FileManager.default.moveItem(atPath: final + "/" + elsewhere.finalPath, toPath: final + "/Comics/" + movedName)
        #expect(try stopping.reconcile(manifests: []).isEmpty)
        #expect(try StartupReconciler(recorder: CorrectionRecorder(finalFolder: final, store: reopened)).reconcile(manifests: []).count == 1)
        // A second start-up finds nothing new.
        #expect(try StartupReconciler(recorder: CorrectionRecorder(finalFolder: final, store: reopened)).reconcile(manifests: []).isEmpty)
    }

    @Test func movesLostInAnOverflowedQueueAreFoundByContentHash() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: final, withIntermediateDirectories: true)
        let store = try CorrectionStore(path: root + "/.sluice/learning.sqlite")
        let log = LogLines()
        let watcher = try FinalFolderWatcher(recorder: CorrectionRecorder(finalFolder: final, store: store, log: { log.append($0) }))
        let image = ImageStream.make(count: 1)[0]
        try place(image, in: "Fanart", store: store, suggested: nil)
        // The watcher's thread is held before it reads an event while more renames than the kernel queues
        // (fs.inotify.max_queued_events) happen, then the user's move, whose events the kernel drops.
        let hold = DispatchSemaphore(value: 0)
        try watcher.start { hold.wait() }
        defer { watcher.stop() }
        let queued = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
        try Data().write(to: URL(fileURLWithPath: final + "/a.txt"))
        for index in 0..<(queued / 2 + 100) {
            #expect(rename(final + (index % 2 == 0 ? "/a.txt" : "/b.txt"), final + (index % 2 == 0 ? "/b.txt" : "/a.txt")) == 0)
        }
        try FileManager.default.createDirectory(atPath: final + "/Kept", withIntermediateDirectories: true)
        #expect(rename(final + "/Fanart/" + image.name, final + "/Kept/" + image.name) == 0)
        hold.signal()
        #expect(waitUntil(30) { (try? store.corrections().map(\.chosenCategory)) == ["Kept"] }, "\(log.all.suffix(5))")
        #expect(log.all.contains { $0.contains("queue overflowed") })
        #expect(waitUntil(5) { FileManager.default.fileExists(atPath: final + "/Kept/" + image.name + ".xmp") })
        // The folder made during the overflow is watched: a move into it is learned live.
        try FileManager.default.createDirectory(atPath: final + "/Other", withIntermediateDirectories: true)
        #expect(rename(final + "/Kept/" + image.name, final + "/Other/" + image.name) == 0)
        #expect(waitUntil(10) { (try? store.corrections().count) == 2 })
    }

    @Test func renamedCategoryFolderTeachesNothingAndImagesFollow() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: final, withIntermediateDirectories: true)
        let store = try CorrectionStore(path: root + "/.sluice/learning.sqlite")
        let watcher = try FinalFolderWatcher(recorder: CorrectionRecorder(finalFolder: final, store: store))
        try watcher.start()
        defer { watcher.stop() }
        let image = ImageStream.make(count: 1)[0]
        try place(image, in: "Old", store: store, suggested: nil)
        #expect(rename(final + "/Old", final + "/New") == 0)
        #expect(waitUntil(5) { (try? store.allPlacements().first?.finalPath) == "New/" + image.name })
        #expect(try store.corrections().isEmpty)
        // A move inside the renamed folder's new name still reaches the watcher (its watch followed the rename).
        try FileManager.default.createDirectory(atPath: final + "/Other", withIntermediateDirectories: true)
        #expect(rename(final + "/New/" + image.name, final + "/Other/" + image.name) == 0)
        #expect(waitUntil(5) { (try? store.corrections().count) == 1 })
        #expect(try store.forget(category: "Other") == 1)
        #expect(try store.corrections().isEmpty)
    }

    @Test func sameBytesAppearingElsewhereWhileTheOriginalStaysAreACopyNotAMove() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: final, withIntermediateDirectories: true)
        let store = try CorrectionStore(path: root + "/.sluice/learning.sqlite")
        let recorder = CorrectionRecorder(finalFolder: final, store: store)
        let image = ImageStream.make(count: 1)[0]
        try place(image, in: "Fanart", store: store, suggested: nil)
        try FileManager.default.createDirectory(atPath: final + "/Copies", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: final + "/Fanart/" + image.name, toPath: final + "/Copies/" + image.name)
        #expect(try recorder.imageMoved(from: nil, to: "Copies/" + image.name) == nil)
        #expect(try store.corrections().isEmpty)
        try FileManager.default.removeItem(atPath: final + "/Fanart/" + image.name)
        let moved = try #require(try recorder.imageMoved(from: nil, to: "Copies/" + image.name))
        #expect(moved.correction?.chosenCategory == "Copies")
        recorder.moveSidecar(image: moved.previousPath, now: "Copies/" + image.name)
        #expect(FileManager.default.fileExists(atPath: final + "/Copies/" + image.name + ".xmp"))
    }
}
