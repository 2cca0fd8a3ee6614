import CategoryLearning
import Configuration
import ContentAnalysis
import Foundation
import HTTPClient
import Hashing
import ImageAnalyzers
import ImageLookup
import NASSync
import XMPSidecar

/// Runs a drop through the library stages once, batch by batch, recording every image's stage outcome in the job's
/// checkpoint journal as it goes, so a killed run resumes where it stopped: no answered lookup is asked again (the
/// cache and the journal), no file is written twice into final/, no review decision is lost.
///
/// Memory stays bounded by the batch size, not the drop: for every image the run keeps only its summary and where its
/// latest record is in the journal (`LibraryCheckpoint`); the records of the batch in hand are read back, and the
/// manifest and error report are written from a streamed pass over the journal (`ReportWriter`).
///
/// One owner for all mutable state (this class, used from one task). Effects live in the stage helpers it calls
/// (scanner, lookup session, review folders, sidecar store, organizer); the decisions (review policy, categorizer,
/// lookup verdicts, next stage) are pure.
public final class LibraryRun {
    public let options: LibraryRunOptions
    public let jobID: String
    private let time: any TimeSource
    private let lookup: LookupSession?
    private var categorizer: Categorizer
    private let log: @Sendable (String) -> Void
    private let progress: (@Sendable (String) -> Void)?
    private let dropName: String
    private let stateFolder: String
    private var journal: CheckpointJournal!
    /// Every image's summary and the place of its latest record, every review batch.
    private var checkpoint = LibraryCheckpoint()
    /// The records of the images in hand (one batch, or one review folder's), read back from the journal.
    private var records: [String: ImageRecord] = [:]
    private var reviewBatches: [Int: ReviewBatchRecord] = [:]
    private var onlineLookups = 0
    private var cacheHits = 0
    private var lookedUpThisRun = Set<String>()
    private var started = Date()
    private var warnings: [String] = []
    /// The run's external analyzers: started on the first image analyzed, stopped by `finish()`.
    private var analyzers: AnalyzerSet?
    /// Where placements are recorded for learning (nil when `learning.enabled` is false or categorize does not run).
    private var learning: CorrectionStore?
    private var syncs: [SyncRecord] = []
    /// Images placed in final/ since the last sync.
    private var placedSinceSync = 0

    /// - Parameters:
    ///   - lookup: the lookup chain (nil when the lookup stage does not run).
    ///   - suggesters: learned placements consulted before the category rules.
    ///   - log: one line per batch and per notable event.
    ///   - progress: the redrawn progress line on a terminal (nil elsewhere).
    public init(
        options: LibraryRunOptions, lookup: LookupSession?, time: any TimeSource = SystemTime(),
        suggesters: [any CategorySuggester] = [], log: @escaping @Sendable (String) -> Void,
        progress: (@Sendable (String) -> Void)? = nil
    ) {
        self.options = options
        self.lookup = lookup
        self.time = time
        self.log = log
        self.progress = progress
        categorizer = Categorizer(options.config.library, suggesters: suggesters)
        let absolute = URL(fileURLWithPath: options.drop).standardizedFileURL.path
        dropName = FolderName.safe((absolute as NSString).lastPathComponent) ?? "drop"
        jobID = Self.jobID(forDrop: absolute)
        stateFolder = options.root + "/.sluice/library/" + jobID
    }

    /// `<drop name>-<first 8 hex digits of the SHA-256 of its absolute path>`: the same drop always finds its checkpoint.
    public static func jobID(forDrop absolutePath: String) -> String {
        let name = FolderName.safe((absolutePath as NSString).lastPathComponent) ?? "drop"
        return name + "-" + FileDigest.hex(of: Data(absolutePath.utf8)).prefix(8)
    }

    public var checkpointPath: String { stateFolder + "/checkpoint.jsonl" }

    /// Every image's summary as it stands now (for a job engine's progress and waits).
    public var summaries: some Collection<ImageSummary> { checkpoint.images.values.lazy.map(\.summary) }

    /// The run's counters: the checkpoint's image totals and this run's lookups.
    public var counters: RunCounters {
        var counters = checkpoint.counters
        counters.onlineLookups = onlineLookups
        counters.cacheHits = cacheHits
        return counters
    }

    /// Runs every stage that can progress and writes the manifest and error report; returns where they are.
    public func run() async throws -> RunSummary {
        do {
            for batch in try prepare() { try await process(batch: batch) }
        } catch {
            await analyzers?.shutdown()
            throw error
        }
        return try await finish()
    }

    /// Opens the checkpoint, lists the drop, reads the decisions of approved review batches, and returns the
    /// batches to process (a job engine calls `process(batch:)` for each, then `finish()`).
    public func prepare() throws -> [Int] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.drop, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LibraryError.notAFolder(path: options.drop)
        }
        guard options.from <= options.to else { throw LibraryError.invalidRange(from: options.from, to: options.to) }
        started = Date()
        if options.reprocess, FileManager.default.fileExists(atPath: checkpointPath) {
            let aside = stateFolder + "/checkpoint.\(Int(started.timeIntervalSince1970)).jsonl"
            try FileManager.default.moveItem(atPath: checkpointPath, toPath: aside)
            log("--reprocess: the previous checkpoint is kept as \(aside)")
        }
        let (journal, checkpoint) = try CheckpointJournal.open(at: checkpointPath)
        self.journal = journal
        self.checkpoint = checkpoint
        reviewBatches = checkpoint.reviewBatches
        Organizer(finalFolder: finalFolder, move: options.config.library.output == .move).sweepTemporaryFiles()
        ReviewBatchFolder(root: options.root, jobID: jobID).sweepStaging()
        let inventory = DropInventory.list(options.drop)
        warnings += inventory.warnings
        try admit(inventory)
        log("\(jobID): \(self.checkpoint.images.count) image(s) in \(options.drop), batches of \(options.config.library.batchSize)")
        try readReviewDecisions()
        if options.config.learning.enabled && options.runs(.categorize) { prepareLearning() }
        // A run from the sync stage only syncs: no image stage is run or recorded as off.
        guard options.from != .sync else { return [] }
        return self.checkpoint.batches
    }

    /// Takes one batch through every stage it can pass now; its outcomes are on disk when this returns.
    public func process(batch: Int) async throws {
        try await advance(checkpoint.paths(inBatch: batch), batch: batch)
        try journal.sync()
        log("batch \(batch + 1): " + counters.line(elapsed: Date().timeIntervalSince(started)))
        if syncWhen == .batch && placedSinceSync > 0 { await sync(batch: batch + 1) }
    }

    /// Retries the lookups that met a service that was down, stops the analyzers, syncs when `sync.when` is `job`
    /// (or the run starts from the sync stage), then writes the manifest and the error report.
    public func finish() async throws -> RunSummary {
        do {
            if options.from != .sync { try await retryLookups() }
        } catch {
            await analyzers?.shutdown()
            throw error
        }
        await analyzers?.shutdown()
        analyzers = nil
        try journal.sync()
        // With batch syncs, one more catches up what a killed run placed but never synced (and what came in here).
        if syncWhen == .job || (syncWhen == .batch && (placedSinceSync > 0 || !syncs.contains { $0.result != nil })) {
            await sync(batch: nil)
        }
        return try writeReport()
    }

    private var finalFolder: String { options.root + "/final" }

    private func imagePath(_ record: ImageRecord) -> String { options.drop + "/" + record.path }

    /// Adds the drop's images the checkpoint does not know, in batches after the known ones, and records them before
    /// any is scanned: a run killed in the middle of a batch finds the same batches (and review folder names) again.
    private func admit(_ inventory: DropInventory) throws {
        let batchSize = options.config.library.batchSize
        let firstNewBatch = (checkpoint.images.values.lazy.map(\.summary.batch).max() ?? -1) + 1
        var admitted: [CheckpointEntry] = []
        for entry in inventory.entries where checkpoint.images[entry.relativePath] == nil {
            var record = ImageRecord(path: entry.relativePath, batch: firstNewBatch + admitted.count / batchSize)
            if let refusal = entry.refusal { record.record(.scan, StageOutcome(status: .refused, detail: refusal)) }
            admitted.append(.image(record))
        }
        guard !admitted.isEmpty else { return }
        // One write, then one fsync: the admission is on disk whole before the first image is scanned.
        for (entry, location) in zip(admitted, try journal.append(admitted)) { checkpoint.apply(entry, at: location) }
        try journal.sync()
    }

    /// Opens the learning database, learns from the moves made in final/ since the last run, and puts the learner
    /// in front of the rules. A learning problem is a warning: the rules still decide.
    private func prepareLearning() {
        do {
            let store = try CorrectionStore(path: CorrectionStore.path(stateFolder: options.root + "/.sluice"))
            let recorder = CorrectionRecorder(finalFolder: finalFolder, store: store, log: log)
            // One manifest's placements in memory at a time; the store skips those it knows.
            try RunReport.forEachPlacementList(inReports: reportsFolder, warn: { self.warnings.append($0) }) { try store.importPlacements($0) }
            let learned = try StartupReconciler(recorder: recorder).reconcile(manifests: [])
            if !learned.isEmpty { log("learning: \(learned.count) move(s) you made in final/ since the last run were learned") }
            let learner = try store.learner(settings: LearningSettings(options.config.learning))
            categorizer.suggesters.insert(LearnedCategorySuggester(learner: learner), at: 0)
            learning = store
        } catch {
            warnings.append("learning is off for this run: \(error)")
            log("learning is off for this run: \(error)")
        }
    }

    private var reportsFolder: String { options.root + "/.sluice/reports" }

    /// An image's latest record, read back from the journal (nil for a path the checkpoint does not know).
    private func storedRecord(_ path: String) throws -> ImageRecord? {
        guard let image = checkpoint.images[path] else { return nil }
        guard case .image(let record) = try journal.read(image.location) else {
            throw LibraryError.checkpointUnreadable(path: journal.path, line: 0, reason: "the entry for \(path) is not an image record")
        }
        return record
    }

    /// Reads the records of `paths` into hand (replacing those in hand).
    private func take(_ paths: [String]) throws {
        records = [:]
        for path in paths { records[path] = try storedRecord(path) }
    }

    /// Takes each image of `paths` through every stage it can pass now.
    private func advance(_ paths: [String], batch: Int) async throws {
        try take(paths)
        defer { records = [:] }
        for stage in LibraryStage.imageStages {
            let due = paths.filter { records[$0]?.nextStage == stage }
            guard !due.isEmpty else { continue }
            if stage > options.to { continue }
            switch stage {
            case .scan: try scan(due)
            case .analyze: try await analyze(due)
            case .lookup: try await lookUp(due.filter { !lookedUpThisRun.contains($0) })
            case .review: try review(due, batch: batch)
            case .sidecar: try writeSidecars(due)
            case .categorize: try categorize(due)
            case .organize: try organize(due)
            case .sync: break
            }
            progress?(stageLine() + "\n" + counters.line(elapsed: Date().timeIntervalSince(started)))
        }
    }

    /// `scan 300/300 · lookup 120/300 · …`: per stage this run goes through, the images past it, of the drop's images.
    private func stageLine() -> String {
        let images = checkpoint.images.values
        return LibraryStage.allCases.filter { options.runs($0) }.map { stage in
            "\(stage.rawValue) \(images.count { $0.summary.nextStage.map { $0 > stage } ?? true })/\(images.count)"
        }.joined(separator: " · ")
    }

    private func save(_ record: ImageRecord) throws {
        records[record.path] = record
        checkpoint.apply(.image(record), at: try journal.append(.image(record)))
    }

    /// Records `stage` as off when this run does not run it; true when it did.
    private func recordedOff(_ stage: LibraryStage, _ record: inout ImageRecord) throws -> Bool {
        guard !options.runs(stage) || (stage == .lookup && lookup == nil) else { return false }
        record.record(stage, StageOutcome(status: .off, detail: options.whyOff(stage)))
        try save(record)
        return true
    }

    private func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let value = try body()
        let elapsed = ContinuousClock.now - start
        return (value, elapsed.seconds * 1000)
    }

    // MARK: Stages

    private func scan(_ paths: [String]) throws {
        // With the built-in analysis on, the scan's one decode gives the perceptual hash and the content facts.
        let surveys = options.runs(.analyze) && options.config.analyze.builtin
        let scanner = ImageScanner(
            maxPixels: options.config.library.maxPixels, reprocess: options.reprocess, survey: surveys ? options.config.analyze.thresholds : nil)
        for path in paths {
            guard var record = records[path] else { continue }
            if try recordedOff(.scan, &record) { continue }
            let (verdict, milliseconds) = measure { scanner.scan(imagePath(record)) }
            switch verdict {
            case .scanned(let facts, let content):
                record.facts = facts
                if let content { record.analysis = AnalysisRecord(content: content) }
                record.record(.scan, StageOutcome(status: .done, milliseconds: milliseconds))
            case .refused(let reason):
                record.record(.scan, StageOutcome(status: .refused, detail: reason, milliseconds: milliseconds))
            case .alreadyProcessed(let marker):
                record.record(
                    .scan,
                    StageOutcome(
                        status: .skipped, detail: "its sidecar carries Sluice's processed marker (\(marker.date)); --reprocess to redo",
                        milliseconds: milliseconds))
            }
            try save(record)
            CrashPoint.check("scanned")
        }
    }

    /// The built-in facts as `sluice/…` tags (surveyed now when the scan did not), then each external analyzer's
    /// answer; an analyzer that cannot answer leaves the image "not analyzed" by it, never failed.
    private func analyze(_ paths: [String]) async throws {
        let section = options.config.analyze
        for path in paths {
            guard var record = records[path] else { continue }
            if try recordedOff(.analyze, &record) { continue }
            let start = ContinuousClock.now
            var analysis = record.analysis ?? AnalysisRecord()
            analysis.tags = []
            analysis.notAnalyzed = [:]
            if section.builtin {
                if analysis.content == nil {
                    do {
                        analysis.content = try ImageSurvey.survey(
                            path: imagePath(record), thresholds: section.thresholds, maximumPixels: options.config.library.maxPixels
                        ).content
                    } catch {
                        analysis.notAnalyzed[AnalysisTag.builtInCategory] = "\(error)"
                    }
                }
                analysis.tags += (analysis.content?.tags ?? []).map { LibraryTag(analysis: $0, source: AnalysisTag.builtInCategory) }
            }
            if let analyzers = startedAnalyzers(), let facts = record.facts {
                let request = AnalysisRequest(path: imagePath(record), sha256: facts.sha256, width: facts.width, height: facts.height)
                for (name, outcome) in await analyzers.analyze(request) {
                    switch outcome {
                    case .analyzed(let answer):
                        analysis.tags += answer.tags.map { LibraryTag(analysis: $0, source: name) }
                        if let rating = answer.rating {
                            analysis.tags.append(
                                LibraryTag(
                                    category: "rating", name: rating, confidence: answer.ratingConfidence.map { ($0 * 1000).rounded() / 10 },
                                    source: name))
                        }
                        if let description = answer.description { analysis.descriptions[name] = description }
                    case .notAnalyzed(let reason):
                        analysis.notAnalyzed[name] = reason
                    }
                }
            }
            var seen = Set<String>()
            analysis.tags = analysis.tags.filter { seen.insert($0.line).inserted }
            record.analysis = analysis
            record.record(.analyze, StageOutcome(status: .done, detail: analysis.summary, milliseconds: (ContinuousClock.now - start).seconds * 1000))
            try save(record)
            CrashPoint.check("analyzed")
        }
    }

    /// The run's analyzers (`analyze.analyzers`), made on first use; nil when none is configured.
    private func startedAnalyzers() -> AnalyzerSet? {
        guard !options.config.analyze.analyzers.isEmpty else { return nil }
        if analyzers == nil { analyzers = AnalyzerSet(config: options.config.analyze, workingDirectory: options.root) }
        return analyzers
    }

    private func lookUp(_ paths: [String]) async throws {
        for path in paths {
            guard var record = records[path] else { continue }
            lookedUpThisRun.insert(path)
            if try recordedOff(.lookup, &record) { continue }
            guard let lookup else { continue }  // recordedOff has recorded a run without a session as off
            let attempts = (record.outcome(.lookup)?.attempts ?? 0) + 1
            let start = ContinuousClock.now
            let outcome = await lookup.lookUp(imageAt: imagePath(record))
            let milliseconds = (ContinuousClock.now - start).seconds * 1000
            var quotaResetsAt: Date?
            if case .dailyLimitReached(let until) = await lookup.pacerState.decision(at: time.now) { quotaResetsAt = until }
            switch LookupVerdict.of(outcome, quotaResetsAt: quotaResetsAt) {
            case .answered(let found):
                record.lookup = found
                let summary = found.similarity.map { "\(found.origin) \(String(format: "%.1f", $0))%" } ?? "no match"
                record.record(
                    .lookup, StageOutcome(status: .done, detail: summary + (found.fromCache ? " (cache)" : ""), milliseconds: milliseconds, attempts: attempts))
                if found.fromCache { cacheHits += 1 } else { onlineLookups += 1 }
            case .waitForQuota(let until, _):
                record.record(
                    .lookup,
                    StageOutcome(
                        status: .waiting, detail: ImageSummary.quotaWaitPrefix + "; resumes at \(Self.clockTime(until))",
                        milliseconds: milliseconds, attempts: attempts - 1))
                onlineLookups += 1
            case .retryLater(let context):
                let gaveUp = attempts > options.config.library.lookupRetries
                record.record(
                    .lookup,
                    StageOutcome(
                        status: gaveUp ? .failed : .waiting,
                        detail: (gaveUp ? "gave up after \(attempts) attempts, goes on untagged: " : ImageSummary.retryWaitPrefix + " in the run: ") + context,
                        milliseconds: milliseconds, attempts: attempts))
                onlineLookups += 1
            case .failed(let context):
                record.record(
                    .lookup, StageOutcome(status: .failed, detail: "goes on untagged: " + context, milliseconds: milliseconds, attempts: attempts))
                onlineLookups += 1
            }
            try save(record)
            CrashPoint.check("looked-up")
        }
    }

    /// Tries the images whose lookup met a service that was down again, a while later, then takes them on.
    private func retryLookups() async throws {
        let retries = options.config.library.lookupRetries
        for round in 0..<retries {
            let due = checkpoint.images.filter { $0.value.summary.nextStage == .lookup && $0.value.summary.lookupWait == .retry }.keys.sorted()
            guard !due.isEmpty else { return }
            log("retry \(round + 1) of \(retries): \(due.count) lookup(s) in \(options.config.library.lookupRetryMinutes.formatted()) min")
            try await time.sleep(for: .milliseconds(Int64(options.config.library.lookupRetryMinutes * 60_000)))
            lookedUpThisRun.subtract(due)
            for batch in Set(due.compactMap { checkpoint.images[$0]?.summary.batch }).sorted() {
                try await advance(due.filter { checkpoint.images[$0]?.summary.batch == batch }, batch: batch)
            }
        }
    }

    private func review(_ paths: [String], batch: Int) throws {
        let policy = ReviewPolicy(mode: options.config.library.review, autoApproveSimilarity: options.config.library.autoApproveSimilarity)
        var waiting: [ReviewBatchFolder.Item] = []
        for path in paths {
            guard var record = records[path] else { continue }
            if record.outcome(.review)?.status == .waiting { continue }
            guard options.runs(.review) else {
                record.approvedTags = record.candidateTags(known: TagsFile.read(besides: imagePath(record)))
                record.record(.review, StageOutcome(status: .off, detail: options.whyOff(.review)))
                try save(record)
                continue
            }
            switch policy.decide(record.lookup, lookupFailed: record.outcome(.lookup)?.status == .failed) {
            case .approve(let reason):
                record.approvedTags = record.candidateTags()
                record.record(.review, StageOutcome(status: .done, detail: "approved: \(reason)"))
                try save(record)
            case .wait(let reason):
                waiting.append(ReviewBatchFolder.Item(record: record, sourcePath: imagePath(record), reason: reason))
            }
        }
        guard !waiting.isEmpty else { return }
        let number = reviewBatches[batch] == nil ? batch : (reviewBatches.keys.max() ?? batch) + 1
        let folder = ReviewBatchFolder(root: options.root, jobID: jobID)
        let made = try folder.write(batch: number, dropName: dropName, items: waiting)
        CrashPoint.check("review-folder-made")
        reviewBatches[number] = made
        try journal.append(.reviewBatch(made))
        for item in waiting {
            var record = item.record
            record.record(.review, StageOutcome(status: .waiting, detail: "waits in review/\(made.folderName)/: \(item.reason)"))
            try save(record)
        }
        log("batch \(batch + 1): \(waiting.count) image(s) wait for review in review/\(made.folderName)/")
    }

    /// Reads the decisions of approved review batches into the checkpoint, then removes their folders.
    private func readReviewDecisions() throws {
        let folder = ReviewBatchFolder(root: options.root, jobID: jobID)
        for number in reviewBatches.keys.sorted() {
            guard var batch = reviewBatches[number], !batch.decided, let approved = folder.approvedFolder(of: batch) else { continue }
            try take(batch.files.keys.sorted())
            defer { records = [:] }
            for (path, tags) in folder.decisions(in: approved, batch: batch) {
                guard var record = records[path], record.outcome(.review)?.status == .waiting else { continue }
                let known = Dictionary(record.candidateTags().map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
                if let tags {
                    // Tags the user kept keep their confidence and source; new ones are the user's.
                    record.approvedTags = tags.map { known[$0.line] ?? $0 }
                    record.record(.review, StageOutcome(status: .done, detail: "approved by you: \(tags.count) tag(s)"))
                } else {
                    record.approvedTags = []
                    record.record(.review, StageOutcome(status: .done, detail: "tags rejected by you: organized untagged"))
                }
                try save(record)
            }
            batch.decided = true
            reviewBatches[number] = batch
            try journal.append(.reviewBatch(batch))
            try journal.sync()
            folder.remove(approved)
            log("review/\(batch.folderName): your decisions were read; the batch goes on")
        }
    }

    private func writeSidecars(_ paths: [String]) throws {
        let store = SidecarStore(toolVersion: LibraryRun.toolVersion)
        for path in paths {
            guard var record = records[path] else { continue }
            if try recordedOff(.sidecar, &record) { continue }
            let update = SidecarPlan.update(tags: record.approvedTags ?? [], source: record.source)
            let (result, milliseconds) = measure {
                Result { () throws(SidecarError) -> SidecarStore.Outcome in
                    try store.write(update, forImage: URL(fileURLWithPath: imagePath(record)), force: options.reprocess, date: time.now)
                }
            }
            switch result {
            case .success(let outcome):
                let detail = outcome == .skippedAlreadyProcessed ? "already written (processed marker present)" : outcome.rawValue
                record.record(.sidecar, StageOutcome(status: .done, detail: detail, milliseconds: milliseconds))
            case .failure(let error):
                record.record(.sidecar, StageOutcome(status: .failed, detail: "\(error)", milliseconds: milliseconds))
            }
            try save(record)
            CrashPoint.check("sidecar-written")
        }
    }

    private func categorize(_ paths: [String]) throws {
        for path in paths {
            guard var record = records[path] else { continue }
            if options.runs(.categorize) {
                let input = CategorizationInput(tags: record.approvedTags ?? [], facts: record.facts, origin: record.lookup?.origin ?? "none")
                let (decision, milliseconds) = measure { categorizer.decide(input) }
                record.category = decision
                record.record(.categorize, StageOutcome(status: .done, detail: decision.folder, milliseconds: milliseconds))
            } else {
                record.category = CategoryDecision(folder: categorizer.defaultCategory, decidedBy: .fallback, reason: options.whyOff(.categorize))
                record.record(.categorize, StageOutcome(status: .off, detail: options.whyOff(.categorize)))
            }
            try save(record)
        }
    }

    private func organize(_ paths: [String]) throws {
        let organizer = Organizer(finalFolder: finalFolder, move: options.config.library.output == .move)
        for path in paths {
            guard var record = records[path] else { continue }
            if try recordedOff(.organize, &record) { continue }
            let source = imagePath(record)
            let (result, milliseconds) = measure {
                Result {
                    let sha256 = try record.facts?.sha256 ?? FileDigest.hex(of: source, algorithm: .sha256)
                    let bytes = try record.facts?.bytes ?? ((FileManager.default.attributesOfItem(atPath: source)[.size] as? NSNumber)?.int64Value ?? 0)
                    return try organizer.place(
                        source, sha256: sha256, bytes: bytes, folder: record.category?.folder ?? categorizer.defaultCategory
                    ) { relativePath in
                        // Known before the file lands, so a move of it in final/ is always one Sluice can learn from.
                        recordPlacement(record, sha256: sha256, bytes: bytes, at: relativePath)
                    }
                }
            }
            switch result {
            case .success(let placement):
                if !placement.alreadyThere { placedSinceSync += 1 }
                record.destination = "final/" + placement.relativePath
                record.record(
                    .organize,
                    StageOutcome(
                        status: .done, detail: placement.alreadyThere ? "the same bytes were already there" : options.config.library.output.rawValue,
                        milliseconds: milliseconds))
            case .failure(let error):
                record.record(.organize, StageOutcome(status: .failed, detail: "\(error)", milliseconds: milliseconds))
            }
            try save(record)
            CrashPoint.check("organized")
        }
    }

    /// The learning database's note of where an image goes (a failure is a warning: the image still lands).
    private func recordPlacement(_ record: ImageRecord, sha256: String, bytes: Int64, at relativePath: String) {
        guard let learning else { return }
        do {
            try learning.recordPlacement(Self.placedImage(record, sha256: sha256, bytes: bytes, finalPath: relativePath))
        } catch {
            warnings.append("learning: \(relativePath) was not recorded: \(error)")
        }
    }

    /// What the learner and the manifest keep about an image placed at `finalPath` (relative to final/).
    static func placedImage(_ record: ImageRecord, sha256: String, bytes: Int64?, finalPath: String) -> PlacedImage {
        PlacedImage(
            sha256: sha256, finalPath: finalPath, bytes: bytes,
            tags: (record.approvedTags ?? []).map { LearningTag(category: $0.category, tag: $0.name) },
            suggestedCategory: record.category?.suggested)
    }

    // MARK: Sync

    /// When this run syncs final/: nil when the sync stage is off or outside `--from`/`--to`, there is no
    /// `sync.destination`, or `sync.when` is manual (a run `--from sync` is the manual trigger).
    private var syncWhen: SluiceConfig.SyncWhen? {
        guard options.runs(.sync), !options.config.sync.destination.isEmpty else { return nil }
        if options.from == .sync { return .job }
        return options.config.sync.when == .manual ? nil : options.config.sync.when
    }

    /// rsync of final/ to the destination; the result or the error goes into the manifest, never failing the job.
    private func sync(batch: Int?) async {
        placedSinceSync = 0
        let startedAt = Date()
        let label = batch.map { "sync after batch \($0)" } ?? "sync"
        guard FileManager.default.fileExists(atPath: finalFolder) else {
            log("\(label): final/ does not exist yet; nothing to sync")
            return
        }
        let outcome: Result<SyncResult, SyncError>
        do throws(SyncError) {
            let runner = SyncRunner(source: finalFolder, settings: try SyncSettings(options.config.sync, root: options.root))
            let (log, progress) = (self.log, self.progress)
            log("\(label): rsync final/ to \(options.config.sync.destination)")
            // rsync runs as a child process this waits for: off the caller's task.
            outcome = await Task.detached {
                Result { () throws(SyncError) -> SyncResult in
                    try runner.run(
                        dryRun: false, progress: progress.map { show in { reading in show("\(label): " + reading.summary) } },
                        log: { log("\(label): " + $0) })
                }
            }.value
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let result):
            syncs.append(SyncRecord(batch: batch, startedAt: startedAt, result: result, error: nil))
            log("\(label): " + result.summary)
        case .failure(let error):
            syncs.append(SyncRecord(batch: batch, startedAt: startedAt, result: nil, error: error.description))
            log("\(label) failed (the job goes on; see the error report): \(error)")
        }
    }

    // MARK: Reporting

    /// Writes the manifest and the error report from one pass over the journal, in path order.
    private func writeReport() throws -> RunSummary {
        let counters = self.counters
        let folder = reportsFolder + "/" + jobID + "-" + Self.fileTimestamp(started)
        let head = ReportWriter.Head(
            counters: counters, drop: URL(fileURLWithPath: options.drop).standardizedFileURL.path, finished: Date(), from: options.from,
            job: jobID, started: started, syncs: syncs, to: options.to, warnings: warnings)
        let writer = try ReportWriter(folder: folder, head: head)
        do {
            for path in checkpoint.images.keys.sorted() {
                guard let record = try storedRecord(path) else { continue }
                var placement: PlacedImage?
                if let destination = record.destination, let facts = record.facts {
                    placement = Self.placedImage(record, sha256: facts.sha256, bytes: facts.bytes, finalPath: String(destination.dropFirst("final/".count)))
                }
                try writer.add(record, placed: placement)
            }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
        log("\(jobID): \(counters.finished)/\(counters.total) done, \(counters.waitingForReview) waiting for review, "
            + "\(counters.skipped) skipped, \(counters.refused) refused, \(counters.failed) with a failure; "
            + "manifest \(folder)/manifest.json, errors \(folder)/errors.txt")
        return RunSummary(job: jobID, folder: folder, counters: counters, stopped: checkpoint.images.values.count { $0.summary.stopped })
    }

    /// Written into the sidecars' processed marker.
    public static let toolVersion = "0.1.0"

    static func clockTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        return formatter.string(from: date)
    }

    /// `20261201-231500`: the time in report and drop folder names.
    public static func fileTimestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }
}
