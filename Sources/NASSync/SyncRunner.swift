import FolderWatch
import Foundation

/// Syncs `final/` to the configured destination with the real rsync: deletion cap, retries, verification.
///
/// Blocking: it runs rsync as a child process and waits, so the caller runs it off any event loop.
public struct SyncRunner: Sendable {
    public var source: String
    public var settings: SyncSettings
    /// Waits between attempts; tests pass one that records the delay instead of sleeping.
    public var sleep: @Sendable (Double) -> Void
    /// Told each rsync child's pid as it starts (tests kill it to interrupt a transfer).
    public var processStarted: @Sendable (Int32) -> Void

    public init(
        source: String, settings: SyncSettings,
        sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) },
        processStarted: @escaping @Sendable (Int32) -> Void = { _ in }
    ) {
        self.source = source
        self.settings = settings
        self.sleep = sleep
        self.processStarted = processStarted
    }

    /// Runs the sync (or only its dry run) and says what was sent and deleted where.
    public func run(
        dryRun: Bool, progress: ((TransferProgress) -> Void)? = nil, log: (String) -> Void = { _ in }
    ) throws(SyncError) -> SyncResult {
        let startedAt = Date()
        try checkPaths()
        let arguments = RsyncArguments(source: source, settings: settings)
        var deleted: [String] = []
        if settings.config.mirror {
            let plan = try runWithRetries(arguments.transfer(dryRun: true, delete: true, progress: false), log: log)
            deleted = plan.changes.filter { $0.kind == .deleted }.map(\.path).sorted()
            if deleted.count > settings.config.maxDeletions {
                throw .deletionCapExceeded(count: deleted.count, cap: settings.config.maxDeletions, examples: deleted)
            }
            log("mirror: the dry run counts \(deleted.count) deletion(s) (cap \(settings.config.maxDeletions))")
        }
        if dryRun {
            let plan = try runWithRetries(arguments.transfer(dryRun: true, delete: settings.config.mirror, progress: false), log: log)
            let sent = plan.changes.filter { $0.kind == .fileSent }.map(\.path)
            return result(startedAt: startedAt, dryRun: true, attempts: plan.attempts, sent: sent, bytes: byteCount(sent),
                          deleted: deleted, verified: false, removed: [])
        }

        // The live figures for `sluice status`, from the transfer's first reading to its end (failed when it throws).
        var live = settings.progressFile.map { SyncProgressWriter(path: $0, destination: settings.destination.description) }
        var succeeded = false
        defer { live?.finish(succeeded ? .finished : .failed) }
        let transfer = try runWithRetries(
            arguments.transfer(dryRun: false, delete: settings.config.mirror, progress: progress != nil || live != nil), log: log
        ) { reading in
            progress?(reading)
            live?.record(reading)
        }
        let sent = transfer.sentPaths
        if settings.config.mirror { deleted = transfer.changes.filter { $0.kind == .deleted }.map(\.path) }

        let checked = settings.config.removeLocalAfterVerify ? localFiles() : withPartners(sent)
        try verify(checked, arguments: arguments, log: log)
        let bytes = byteCount(sent)
        var removed: [String] = []
        if settings.config.removeLocalAfterVerify {
            for path in checked where unlink(source + "/" + path) == 0 { removed.append(path) }
            log("removed \(removed.count) verified local file(s)")
        }
        succeeded = true
        return result(startedAt: startedAt, dryRun: false, attempts: transfer.attempts, sent: sent, bytes: bytes,
                      deleted: deleted, verified: true, removed: removed)
    }

    /// What the runs of one rsync command line reported, over all its attempts.
    struct RunReport {
        var changes: [ItemizedChange] = []
        var attempts = 0

        /// Each file sent once, in the order rsync sent them (an interrupted file sent again counts once).
        var sentPaths: [String] {
            var seen = Set<String>()
            return changes.filter { $0.kind == .fileSent && seen.insert($0.path).inserted }.map(\.path)
        }
    }

    /// Runs one command line, retrying the transient exit codes with doubling delays.
    func runWithRetries(
        _ arguments: [String], log: (String) -> Void, progress: ((TransferProgress) -> Void)? = nil
    ) throws(SyncError) -> RunReport {
        var report = RunReport()
        while true {
            report.attempts += 1
            let process = RsyncProcess(executable: settings.rsyncPath, arguments: arguments)
            let (outcome, errors) = try process.run(started: processStarted) { line in
                if let change = ItemizedChange(line: line) {
                    report.changes.append(change)
                } else if let reading = TransferProgress(line: line) {
                    progress?(reading)
                }
            }
            switch outcome {
            case .exited(0):
                return report
            case .exited(let code) where RsyncExitCode.isTransient(code) && report.attempts < settings.config.attempts:
                let delay = settings.delay(beforeRetry: report.attempts)
                log("rsync attempt \(report.attempts) of \(settings.config.attempts) failed: \(RsyncExitCode.message(for: code)) "
                    + "(exit \(code)); retrying in \(String(format: "%.0f", delay)) s")
                sleep(delay)
            case .exited(let code):
                throw .rsyncFailed(code: code, attempts: report.attempts, detail: Self.lastLines(errors))
            case .killed(let signal):
                throw .interrupted(signal: signal)
            }
        }
    }

    /// A checksum dry run over `paths` must find nothing to send.
    func verify(_ paths: [String], arguments: RsyncArguments, log: (String) -> Void) throws(SyncError) {
        guard !paths.isEmpty else { return }
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-sync-\(UUID().uuidString).list")
        let bytes = Data(paths.joined(separator: "\0").utf8)
        guard FileManager.default.createFile(atPath: list.path, contents: bytes) else {
            throw .cannotStart("cannot write the verification list \(list.path)")
        }
        defer { try? FileManager.default.removeItem(at: list) }
        let report = try runWithRetries(arguments.verification(fileList: list.path) + ["--from0"], log: log)
        let differing = report.changes.filter { $0.kind == .fileSent }.map(\.path)
        guard differing.isEmpty else { throw .verificationFailed(differing) }
        log("verified \(paths.count) file(s) by checksum on \(settings.destination)")
    }

    /// Sent paths plus their partner (the sidecar of a sent image, the image of a sent sidecar) when it exists here.
    func withPartners(_ paths: [String]) -> [String] {
        var result = paths
        var listed = Set(paths)
        for path in paths {
            let partner = path.lowercased().hasSuffix(".xmp") ? String(path.dropLast(4)) : path + ".xmp"
            if !listed.contains(partner), isRegularFile(source + "/" + partner) {
                listed.insert(partner)
                result.append(partner)
            }
        }
        return result
    }

    /// Every regular file the transfer covers (the filter rules' view of `final/`), relative to it.
    func localFiles() -> [String] {
        let filter = DropFilter()
        var files: [String] = []
        var folders = [""]
        while let folder = folders.popLast() {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: source + "/" + folder)) ?? []
            for name in names.sorted() where !filter.isIgnored(name: name) && !filter.isTemporary(name: String(name.dropLast(4))) {
                let relative = folder.isEmpty ? name : folder + "/" + name
                var info = stat()
                guard lstat(source + "/" + relative, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR { folders.append(relative) }
                if info.st_mode & S_IFMT == S_IFREG { files.append(relative) }
            }
        }
        return files
    }

    private func checkPaths() throws(SyncError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .sourceMissing(source)
        }
        if case .localPath(let path) = settings.destination {
            let parent = (path as NSString).deletingLastPathComponent
            guard FileManager.default.fileExists(atPath: parent.isEmpty ? "." : parent) else {
                throw .invalidDestination(path, "its parent folder \(parent) does not exist (is the share mounted?)")
            }
        }
    }

    private func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    private func result(
        startedAt: Date, dryRun: Bool, attempts: Int, sent: [String], bytes: Int64, deleted: [String], verified: Bool,
        removed: [String]
    ) -> SyncResult {
        SyncResult(
            destination: settings.destination.description, source: source, dryRun: dryRun, mirror: settings.config.mirror,
            startedAt: startedAt, finishedAt: Date(), attempts: attempts, sent: sent, bytesSent: bytes, deleted: deleted,
            verified: verified, removedLocally: removed)
    }

    /// The total size of `paths` under `final/`.
    private func byteCount(_ paths: [String]) -> Int64 {
        var bytes: Int64 = 0
        for path in paths {
            var info = stat()
            if lstat(source + "/" + path, &info) == 0 { bytes += Int64(info.st_size) }
        }
        return bytes
    }

    /// The last few lines rsync wrote to stderr, for the error message.
    static func lastLines(_ text: String) -> String {
        text.split(separator: "\n").suffix(3).joined(separator: "\n")
    }
}
