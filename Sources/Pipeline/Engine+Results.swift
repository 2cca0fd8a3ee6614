import Foundation
import Jobs
import Logging
import SystemIO
import ZipArchive

extension Engine {
    /// Fails jobs that waited for a result longer than `downloads.timeout_minutes`; `sluice retry` waits again.
    func failTimedOutWaits(_ jobs: [Job]) {
        for job in jobs where job.status == .waitingDownload && job.step == .waitForResult {
            let limit = ((try? jobConfig(job)) ?? config).downloads.timeoutMinutes * 60
            apply(.tick(now: now(), resultTimeout: limit), to: job)
        }
    }

    /// Takes settled, complete result zips to the waiting job whose upload manifest they match; refuses hostile ones.
    func takeResults(_ jobs: [Job], isSettled: (URL) -> Bool) {
        let waiting = jobs.filter { $0.status == .waitingDownload && $0.step == .waitForResult }
        guard !waiting.isEmpty else { return }
        let manifests = waiting.compactMap { job in
            (try? UploadManifest.load(from: JobFolder(store.folder(of: job.id)))).map { (job, $0) }
        }
        let since = waiting.map(\.createdAt).min() ?? now()
        let intake = ResultIntake(layout: layout, config: config, inspectImage: inspectImage)
        let candidates = intake.candidates(since: since, isSettled: isSettled) { zip in
            if !examinedCandidates.contains(Self.candidateKey(zip)) {
                rememberExamined(Self.candidateKey(zip))
                let reason = "refused \(LogSafeName.escaped(zip.path)): \(Self.incompleteZipReason(zip))"
                logger.warning("\(reason)")
                for var job in waiting {
                    record(&job, .warning, reason)
                    trySave(job)
                }
            }
        }
        for zip in candidates {
            let key = Self.candidateKey(zip)
            guard !examinedCandidates.contains(key) else { continue }
            let scratch = scratchFolder(forCandidate: key)
            let examined: ResultIntake.Examined
            do {
                examined = try intake.examine(zip, scratch: scratch)
            } catch {
                rememberExamined(key)
                let reason = "refused \(LogSafeName.escaped(zip.path)): \(LogSafeName.escaped("\(error)"))"
                logger.warning("\(reason)")
                for var job in waiting {
                    record(&job, .warning, "\(reason); still waiting for a good result")
                    trySave(job)
                }
                continue
            }
            let scored = manifests.map { ($0.0, $0.1, ResultMapping.make(manifest: $0.1, images: examined.images, undecodable: examined.undecodable)) }
            guard let best = scored.max(by: { $0.2.score < $1.2.score }), best.2.score >= ResultMapping.acceptScore else {
                rememberExamined(key)
                try? FileManager.default.removeItem(at: scratch)
                logger.notice("\(LogSafeName.escaped(zip.path)): matches no waiting job's upload; left where it is")
                continue
            }
            do {
                try assign(examined, mapping: best.2, to: best.0, movingZip: intake.isInRootDownloads(zip))
            } catch {
                logger.error("cannot take \(zip.path) into job \(best.0.id): \(error)", metadata: ["job": "\(best.0.id)"])
            }
            rememberExamined(key)
        }
    }

    /// Moves the extracted result and the zip into the job, records the mapping, and resumes the job.
    private func assign(_ examined: ResultIntake.Examined, mapping: ResultMapping, to job: Job, movingZip: Bool) throws {
        let folder = JobFolder(store.folder(of: job.id))
        let extracted = folder.resultFolder
        try? FileManager.default.removeItem(at: extracted)
        try FileOperations.rename(examined.extracted.path, to: extracted.path)
        let zipCopy = folder.resultZip
        try? FileManager.default.removeItem(at: zipCopy)
        if movingZip {
            try FolderTransfer.move(examined.zip, to: zipCopy)
        } else {
            try FileManager.default.copyItem(at: examined.zip, to: zipCopy)
        }
        try mapping.save(in: folder)
        let summary = "result \(examined.zip.lastPathComponent) matched (\(mapping.pairs.count) of \(examined.images.count) images); \(movingZip ? "moved" : "copied") into the job"
        try applyOrThrow(.resultTaken(zip: zipCopy.path, origin: examined.zip.path, summary: summary), to: try store.load(job.id))
    }

    static func candidateKey(_ zip: URL) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: zip.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(zip.path)|\(size)|\(modified)"
    }
}
