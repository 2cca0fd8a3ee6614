import Foundation
import Jobs
import Testing
import ReviewSession

@Suite struct ReviewSessionTests {
    @Test func approveWritesTheTagsAsShownLeavingToggledOffTagsOut() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch()
        let session = try ReviewSession(folder: ReviewFolder.open(folder))
        #expect(session.state.images.map(\.file) == ["miku.jpg", "rin.png", "sky.webp"])
        // Display order groups by category: character, copyright, general…; the third shown tag is "twintails".
        session.moveTag(by: 2)
        session.toggleSelectedTag()
        #expect(session.approve(0) == .written)
        #expect(folder.appendingPathComponent("miku.jpg.tags.txt").text == "character:hatsune miku\ncopyright:vocaloid\ngeneral:long hair\n")
        #expect(session.state.decisions["miku.jpg"]?.verdict == .approved)
        let log = try #require(folder.appendingPathComponent("REVIEW.md").text)
        #expect(log.hasPrefix("# Review: pixiv, batch 1\n"))
        #expect(log.contains("## Decisions\n\n- "))
        #expect(log.contains("screen · approved (3 tags) · miku.jpg"))
    }

    @Test func rejectDeletesTheTagsFileAndUndoRestoresIt() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch()
        let original = folder.appendingPathComponent("rin.png.tags.txt").text
        let session = try ReviewSession(folder: ReviewFolder.open(folder))
        #expect(session.reject(1) == .written)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("rin.png.tags.txt").path))
        #expect(session.undo())
        #expect(folder.appendingPathComponent("rin.png.tags.txt").text == original)
        #expect(session.state.decisions["rin.png"] == nil)
        #expect(try ReviewProgress.load(from: folder).decisions["rin.png"] == nil)
    }

    @Test func handEditWhileOpenWinsAndTheScreensVersionIsKept() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch()
        let session = try ReviewSession(folder: ReviewFolder.open(folder))
        session.toggleSelectedTag()
        let tags = folder.appendingPathComponent("miku.jpg.tags.txt")
        try Data("character:hatsune miku\ngeneral:by hand\n".utf8).write(to: tags)
        #expect(session.approve(0) == .conflict)
        #expect(tags.text == "character:hatsune miku\ngeneral:by hand\n")
        #expect(session.state.images[0].tags.map(\.name) == ["hatsune miku", "by hand"])
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(".sluice-review-backups").path)
        #expect(backups.contains { $0.hasPrefix("miku.jpg.tags.txt.") && $0.hasSuffix(".screen") })
        // After the reload the screen may decide on the newer file.
        #expect(session.approve(0) == .written)
        #expect(tags.text == "character:hatsune miku\ngeneral:by hand\n")
    }

    @Test func refreshNoticesAHandEditAndRecordsItAsTheFolders() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch()
        let session = try ReviewSession(folder: ReviewFolder.open(folder))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("sky.webp.tags.txt"))
        #expect(session.refresh() == [2])
        #expect(session.state.decisions["sky.webp"]?.verdict == .rejected)
        #expect(session.state.decisions["sky.webp"]?.by == .folder)
        #expect(folder.appendingPathComponent("REVIEW.md").text?.contains("folder · tags file deleted · sky.webp") == true)
    }

    @Test func decidingTheLastImageWritesResumeAndDecisionsSurviveReopening() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch()
        let session = try ReviewSession(folder: ReviewFolder.open(folder))
        session.approve(0)
        session.skip(1)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("RESUME").path))
        let reopened = try ReviewSession(folder: ReviewFolder.open(folder))
        #expect(reopened.state.decisions["miku.jpg"]?.verdict == .approved)
        #expect(reopened.state.decisions["rin.png"]?.verdict == .skipped)
        #expect(reopened.state.current == 2)
        reopened.approve(1)
        reopened.reject(2)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("RESUME").path))
        #expect(reopened.undo())
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("RESUME").path))
    }

    @Test func approveConfidentTakesOnlyImagesAtOrAboveTheThreshold() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch()
        let session = try ReviewSession(folder: ReviewFolder.open(folder))
        // sky.webp's best tag is the built-in analysis at 100; rin.png's best is 75.5.
        #expect(session.approveConfident(threshold: 90) == 2)
        #expect(session.state.decisions["rin.png"] == nil)
        #expect(session.undo())
        #expect(session.state.decisions.isEmpty)
    }

    @Test func datasetRejectEmptiesTheCaptionWithABackupAndShowsTheNormalizationDiff() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let (job, folder) = try fixtures.datasetJob()
        let waiting = try WaitingReviews.resolve("mika", root: fixtures.root)
        #expect(waiting.label == "job \(job.id)")
        let session = try ReviewSession(folder: waiting.open())
        let diff = session.state.images[0].normalizationDiff
        #expect(diff.removed == ["highres", "absurdres"])
        #expect(diff.added.isEmpty)
        #expect(session.state.images[1].captionBeforeNormalization == nil)
        #expect(session.reject(0) == .written)
        #expect(folder.appendingPathComponent("001.txt").text == "")
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(".sluice-review-backups").path)
        #expect(backups.contains { $0.hasPrefix("001.txt.") })
        session.select(1)
        session.toggleSelectedTag()
        #expect(session.approve(1) == .written)
        #expect(folder.appendingPathComponent("002.txt").text == "red eyes, indoors\n")
    }

    @Test func waitingReviewsListsJobsAndBatchesOldestFirst() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        try fixtures.libraryBatch()
        let (job, _) = try fixtures.datasetJob(createdAt: Date(timeIntervalSince1970: 1_000))
        let all = WaitingReviews.all(root: fixtures.root)
        #expect(all.map(\.label) == ["job \(job.id)", "batch pixiv__batch-1"])
        try Data().write(to: fixtures.root.appendingPathComponent("review/pixiv__batch-1/RESUME"))
        #expect(WaitingReviews.all(root: fixtures.root).count == 1)
        #expect(throws: ReviewError.self) { try WaitingReviews.resolve("nothing-here", root: fixtures.root) }
    }

    @Test func anApprovedJobNoLongerWaitsAndAnAmbiguousPrefixNamesTheJobs() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let (first, _) = try fixtures.datasetJob(dataset: "mika")
        let (second, _) = try fixtures.datasetJob(dataset: "rin")
        let ambiguous = #expect(throws: JobStore.Failure.self) { try WaitingReviews.resolve("2023", root: fixtures.root) }
        #expect(ambiguous.map { "\($0)".contains(first.id) && "\($0)".contains(second.id) } == true, "\(String(describing: ambiguous))")
        // `sluice resume` (or the engine taking RESUME) recorded the approval: the job waits no more.
        let store = JobStore(stateDirectory: fixtures.root.appendingPathComponent(".sluice"))
        var approved = try store.load(second.id)
        approved.artifacts.reviewApproved = true
        try store.save(approved)
        #expect(WaitingReviews.all(root: fixtures.root).map(\.label) == ["job \(first.id)"])
        #expect(try WaitingReviews.resolve("2023", root: fixtures.root).label == "job \(first.id)")
    }
}
