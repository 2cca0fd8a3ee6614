import Configuration
import Foundation
import Hashing
import Jobs
import Logging
import SystemIO
import TagNormalization

/// Drives every job of one root through its steps: adopts settled drops, applies markers and control requests,
/// and runs steps until every job waits or is done. Files are the truth; the engine keeps no state of its own.
///
/// Not `Sendable` on purpose: one owner (a root's `RootLoop`, or `run --once`) calls it from one task at a time.
public final class Engine {
    public let layout: RootLayout
    /// The live config: new jobs snapshot it; a reload (`RootLoop`) replaces it between two events.
    public internal(set) var config: SluiceConfig
    public let store: JobStore
    public let requests: ControlQueue
    let now: @Sendable () -> Date
    let logger: Logger
    private let isCancelled: @Sendable () -> Bool
    /// Live figures of the running step: the terminal line, a log line per batch, and the job's progress file.
    private let liveProgress: LiveProgress
    private let makeCaptionRules: @Sendable (SluiceConfig, RootLayout) throws -> any CaptionRules
    let inspectImage: @Sendable (String) throws -> ImageFacts
    let stripMetadata: @Sendable (String, URL) throws -> String?
    /// The profiles this engine runs; a new drop becomes a job of the first.
    private let profiles: [any Profile]
    private var reportedStrays: Set<String> = []
    private var reportedProblems: Set<String> = []
    /// Result zips already looked at (path, size, mtime), so each is examined and reported once.
    var examinedCandidates: Set<String> = []
    /// Jobs whose state could not be saved wait here with backoff instead of rerunning at once.
    private var saveRetries = SaveRetrySchedule()

    public init(
        layout: RootLayout, config: SluiceConfig,
        captionRules: @escaping @Sendable (SluiceConfig, RootLayout) throws -> any CaptionRules,
        inspectImage: @escaping @Sendable (String) throws -> ImageFacts,
        stripMetadata: @escaping @Sendable (String, URL) throws -> String? = MetadataStripping.strippedCopy(of:in:),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "sluice"),
        isCancelled: @escaping @Sendable () -> Bool = { Task.isCancelled },
        progress: ProgressLine? = nil,
        profiles: [any Profile] = [DatasetProfile()]
    ) {
        precondition(!profiles.isEmpty, "an engine runs at least one profile")
        self.profiles = profiles
        self.liveProgress = LiveProgress(terminal: progress, now: now)
        self.layout = layout
        self.config = config
        self.store = JobStore(stateDirectory: layout.state)
        self.requests = ControlQueue(stateDirectory: layout.state)
        self.makeCaptionRules = captionRules
        self.inspectImage = inspectImage
        self.stripMetadata = stripMetadata
        self.now = now
        self.logger = logger
        self.isCancelled = isCancelled
    }

    /// Takes a reloaded config: new jobs snapshot it, and jobs not yet past normalization take its preset.
    func apply(reloaded config: SluiceConfig) {
        let presetChanged = config.normalize.preset != self.config.normalize.preset
        self.config = config
        guard presetChanged, let jobs = try? currentJobs() else { return }
        for var job in jobs where !job.status.isFinished && !job.machine.plan.hasPassed(.normalize, at: job.step) {
            guard var snapshot = try? jobConfig(job) else { continue }
            snapshot.normalize.preset = config.normalize.preset
            do { try fixPreset(&job, from: snapshot) } catch {
                record(&job, .warning, "keeping preset '\(job.preset?.name ?? "")': the reloaded one does not load: \(error)")
                trySave(job)
                continue
            }
            job.configSnapshot = ConfigSnapshot.encode(snapshot)
            trySave(job)
        }
    }

    /// One line for the service manager: how many jobs run and how many wait for the user.
    public func summaryLine() -> String {
        let jobs = (try? store.all().jobs) ?? []
        let running = jobs.filter(\.status.isRunnable).count
        let waiting = jobs.filter(\.status.isWaiting).count
        return "\(layout.root.lastPathComponent): \(running) running, \(waiting) waiting for you"
    }

    public var isPaused: Bool { FileManager.default.fileExists(atPath: layout.pauseMarker.path) }

    // MARK: - Reconcile

    /// Looks at every folder: control requests, RESUME markers and moves to reviewed/, new settled drops.
    public func reconcile(isSettled: (URL) -> Bool) throws {
        applyControlRequests()
        guard !isPaused else { return }
        let jobs = try currentJobs()
        try applyReviewMarkers(jobs)
        applyLibraryWaits(try currentJobs())
        failTimedOutWaits(try currentJobs())
        takeResults(try currentJobs(), isSettled: isSettled)
        try adoptDrops(in: layout.inbox, folderName: "inbox", jobs: try currentJobs(), isSettled: isSettled)
        try adoptDrops(in: layout.reviewed, folderName: "reviewed", jobs: try currentJobs(), isSettled: isSettled)
    }

    /// Applies queued pause/resume/stop/retry requests (from the CLI) to their jobs.
    public func applyControlRequests() {
        for (request, file) in requests.pending() {
            defer { requests.consume(file) }
            guard let job = try? store.load(request.jobID) else {
                logger.warning("control request for unknown job \(request.jobID) ignored", metadata: ["job": "\(request.jobID)"])
                continue
            }
            apply(.control(request.action, origin: request.origin), to: job)
        }
    }

    private func applyReviewMarkers(_ jobs: [Job]) throws {
        for job in jobs where job.status == .waitingManual && job.step == .review {
            if noticeDeletedReviewFolder(job) { continue }
            var origin: String?
            if let name = job.artifacts.reviewFolder {
                let marker = layout.review.appendingPathComponent(name).appendingPathComponent(resumeMarkerName)
                if FileManager.default.fileExists(atPath: marker.path) { origin = "review/\(name)/\(resumeMarkerName)" }
            }
            if origin == nil, let moved = ReviewLocator.folderTagged(job.id, in: layout.reviewed) {
                origin = "move to reviewed/\(moved.lastPathComponent)"
            }
            guard let origin else { continue }
            try applyOrThrow(.reviewApproved(origin: origin), to: job)
        }
    }

    /// Each settled top-level entry not yet owned by a job becomes a job at step adopt.
    private func adoptDrops(in folder: URL, folderName: String, jobs: [Job], isSettled: (URL) -> Bool) throws {
        let claimed = Set(jobs.filter { $0.step == .adopt }.map(\.origin))
        let groupsLooseImages = config.profile == .library
        if groupsLooseImages && folderName == "inbox" { try groupLooseImages(in: folder, claimed: claimed, isSettled: isSettled) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        let waitingInReview = Set(jobs.filter { !$0.status.isFinished && $0.step == .review }.map(\.id))
        for name in names.sorted() where !DatasetFiles.isIgnoredName(name) {
            let origin = "\(folderName)/\(name)"
            guard !claimed.contains(origin) else { continue }
            let url = folder.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if folderName == "reviewed", let tagged = ReviewLocator.jobID(taggedIn: url), waitingInReview.contains(tagged) {
                    continue
                }
                // A library review batch moved to reviewed/ is an approval its job reads, not a new drop.
                if folderName == "reviewed", LibraryReviewBatches.runID(of: url) != nil { continue }
            } else if groupsLooseImages && folderName == "inbox" && DatasetFiles.isImage(name) {
                continue  // taken with the other loose images by groupLooseImages, as one drop
            } else if !DatasetFiles.isImage(name) {
                let hasImageTwin = name.lowercased().hasSuffix(".txt") && names.contains { other in
                    DatasetFiles.isImage(other) && (other as NSString).deletingPathExtension == (name as NSString).deletingPathExtension
                }
                if !hasImageTwin && reportedStrays.insert(origin).inserted {
                    logger.notice("\(layout.root.path)/\(origin): not an image or a folder; left where it is")
                }
                continue
            }
            guard isSettled(url) else { continue }
            let dataset = isDirectory.boolValue ? name : (name as NSString).deletingPathExtension
            let profile = profiles.first { $0.name == config.profile.rawValue } ?? profiles[0]
            let plan = profile.plan(for: folderName == "reviewed" ? .reviewed : .inbox, config: config)
            var job = Job(
                id: store.newID(dataset: dataset, now: now()), dataset: dataset, profile: profile.name, origin: origin, plan: plan,
                configSnapshot: ConfigSnapshot.encode(config), now: now())
            record(&job, .info, "new job for \(origin)")
            try store.save(job)
        }
    }

    // MARK: - Running steps

    /// Runs steps until no job can progress (all wait, are done, or the engine is paused or cancelled), or until
    /// `limit` steps ran; returns how many ran.
    @discardableResult
    public func runUntilIdle(limit: Int = .max) -> Int {
        var steps = 0
        while !isCancelled() && steps < limit {
            applyControlRequests()
            guard !isPaused, let jobs = try? currentJobs(), var job = jobs.first(where: { $0.status.isRunnable && saveRetries.mayRun($0.id, at: now()) }) else { break }
            if case .interrupted = runCurrentStep(&job) { break }
            steps += 1
        }
        return steps
    }

    enum StepRun { case finished, interrupted }

    private func runCurrentStep(_ job: inout Job) -> StepRun {
        if job.status == .queued { _ = job.machine.event(.start) }
        let step = job.step
        if job.preset == nil {
            do { try fixPreset(&job, from: try jobConfig(job)) } catch {
                return finish(&job, step, .fail("\(error)"), logCount: job.log.count)
            }
            trySave(job)
        }
        let checkedIndex = recheckIndex(of: &job)
        let outcome: StepOutcome
        let logCount = job.log.count
        do {
            let context = try makeContext(for: job, index: checkedIndex)
            guard let runner = worker(for: job) else {
                outcome = .fail("step \(step.label) of profile '\(job.profile)' is not available in this build")
                return finish(&job, step, outcome, logCount: logCount)
            }
            CrashPoint.check("before:\(step.rawValue)")
            let started = now()
            defer { job.addStepTime(step, seconds: now().timeIntervalSince(started)) }
            outcome = try runner.run(&job, context)
        } catch is StepInterrupted {
            trySave(job)
            return .interrupted
        } catch {
            outcome = .fail(failureMessage(error, job: job))
        }
        return finish(&job, step, outcome, logCount: logCount)
    }

    private func finish(_ job: inout Job, _ step: Step, _ outcome: StepOutcome, logCount: Int) -> StepRun {
        for entry in job.log[logCount...] { log(entry.level, entry.message, job: job.id) }
        let action = job.machine.event(.stepFinished(step, outcome))
        switch action {
        case .fail(let message):
            removePartialOutputs(of: job)
            record(&job, .error, "FAILED at \(step.label): \(message)")
        case .waitForUser(let reason), .waitForFile(let reason):
            // A wait for the user is a notice on the terminal and in journald (CONTRACTS: notice for user-facing waits).
            job.record(.info, "waiting: \(reason)", at: now())
            logger.notice("waiting: \(reason)", metadata: ["job": "\(job.id)"])
            if (try? jobConfig(job))?.notify.desktop == true { DesktopNotifier.notify(title: "Sluice: \(job.dataset) waits for you", body: reason) }
        case .complete: record(&job, .info, "COMPLETED: \(job.artifacts.finalZip ?? job.artifacts.libraryReport ?? "")")
        default: break
        }
        trySave(job)
        CrashPoint.check("after:\(step.rawValue)")
        return .finished
    }

    /// The worker of the job's current step, from the job's own profile.
    private func worker(for job: Job) -> (any PipelineStep)? {
        let profile = profiles.first { $0.name == job.profile }
        return profile?.worker(for: job.step, tools: StepTools(inspectImage: inspectImage, stripMetadata: stripMetadata, logger: logger))
    }

    /// The config a job runs with: the snapshot taken when it was created, keys added since taking their defaults.
    func jobConfig(_ job: Job) throws(ConfigSnapshot.Unreadable) -> SluiceConfig {
        try ConfigSnapshot.decode(job.configSnapshot)
    }

    /// Resolves the job's preset once, keeps its resolved JSON in the job folder and records its name and SHA-256,
    /// so editing the preset file later never changes a job that already started.
    func fixPreset(_ job: inout Job, from config: SluiceConfig) throws {
        let rules = try makeCaptionRules(config, layout)
        let folder = JobFolder(store.folder(of: job.id))
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        try FileOperations.writeAtomically(Data(rules.resolvedPreset.utf8), to: folder.preset)
        job.preset = Job.PresetRecord(name: config.normalize.preset, sha256: try FileDigest.hex(of: folder.preset.path))
        record(&job, .info, "preset '\(config.normalize.preset)' fixed for this job (SHA-256 \(job.preset?.sha256.prefix(12) ?? ""))")
    }

    /// - Parameter checkedIndex: the index `recheckIndex` already read, when it did (else it is read here).
    private func makeContext(for job: Job, index checkedIndex: DatasetIndex?) throws -> StepContext {
        var jobConfig = try jobConfig(job)
        let store = self.store
        let folder = JobFolder(store.folder(of: job.id))
        let rules: any CaptionRules
        var rulesConfig = jobConfig
        if job.preset != nil { rulesConfig.normalize.preset = folder.preset.path }
        do { rules = try makeCaptionRules(rulesConfig, layout) } catch { rules = FailingCaptionRules(error: "\(error)") }
        if let preset = job.preset { jobConfig.normalize.preset = preset.name }
        let index: DatasetIndex? = try checkedIndex ?? (FileManager.default.fileExists(atPath: folder.index.path)
            ? JSONDecoder().decode(DatasetIndex.self, from: Data(contentsOf: folder.index)) : nil)
        return StepContext(
            layout: layout, config: jobConfig, folder: folder, index: index, captionRules: rules, now: now,
            isCancelled: isCancelled,
            reportProgress: { [liveProgress, logger] done, total, bytes in
                liveProgress.update(
                    job: job.id, step: job.step.label, file: folder.liveProgress, done: done, total: total, bytes: bytes,
                    logger: logger)
            },
            checkpoint: { try store.save($0) })
    }

    // MARK: - Helpers

    private func currentJobs() throws -> [Job] {
        let (jobs, problems) = try store.all()
        for problem in problems where reportedProblems.insert(problem.description).inserted { logger.error("\(problem.description)") }
        return jobs
    }

    /// Applies a decision (`JobDecisions`) to a job: logs its lines and saves the job when it changed.
    func apply(_ event: JobDecisions.Event, to job: Job) {
        if let decided = decide(event, job) { trySave(decided) }
    }

    /// As `apply`, but a failed save is thrown to the caller.
    func applyOrThrow(_ event: JobDecisions.Event, to job: Job) throws {
        if let decided = decide(event, job) { try store.save(decided) }
    }

    private func decide(_ event: JobDecisions.Event, _ job: Job) -> Job? {
        var (decided, lines) = JobDecisions.decide(job, event)
        guard decided != job || !lines.isEmpty else { return nil }
        for line in lines { record(&decided, line.level, line.message) }
        return decided
    }

    func record(_ job: inout Job, _ level: Job.LogEntry.Level, _ message: String) {
        let message = LogSafeName.oneLine(message)
        job.record(level, message, at: now())
        log(level, message, job: job.id)
    }

    /// A job's log line, also through swift-log with the job's id as metadata.
    func log(_ level: Job.LogEntry.Level, _ message: String, job: String) {
        let severity: Logger.Level = switch level {
        case .info: .info
        case .warning: .warning
        case .error: .error
        }
        logger.log(level: severity, "\(LogSafeName.oneLine(message))", metadata: ["job": "\(job)"])
    }

    func trySave(_ job: Job) {
        do {
            try store.save(job)
            saveRetries.saved(job.id)
        } catch {
            let delay = saveRetries.saveFailed(job.id, at: now())
            logger.error("cannot save job \(job.id): \(error); trying it again in \(Int(delay)) s", metadata: ["job": "\(job.id)"])
        }
    }
}

/// Stands in when the configured preset cannot be loaded, so the step fails with the preset's error.
struct FailingCaptionRules: CaptionRules {
    let error: String
    var resolvedPreset: String { "" }
    func normalizeCaptions(
        in folder: URL, paths: [String], batchSize: Int, backupDirectory: URL, load: @Sendable (String) throws -> Data?,
        write: (_ positions: Range<Int>, _ captions: [NormalizedCaption]) throws -> Void
    ) throws -> String { throw StepFailure(error) }
    func finalCaption(_ text: String, file: String) throws -> String { throw StepFailure(error) }
}
