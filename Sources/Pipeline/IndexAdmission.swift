import Foundation
import Imaging
import Jobs
import SystemIO
import ZipArchive

/// What step A lets into a dataset before reading a byte of it: regular files found by a walk that never leaves the
/// drop, images whose names a zip can hold, and images whose header declares no more than `index.max_pixels`.
enum IndexAdmission {
    /// The images step A may read, and every file it leaves out with the reason.
    struct Admitted: Equatable {
        var images: [String] = []
        var leftOut: [DatasetIndex.LeftOut] = []
    }

    /// How many left-out files the job log names one by one (REVIEW.md and index.json name them all).
    static let loggedLimit = 100

    /// Walks `source` safely; symlinks, special files, non-UTF-8 names and image names a zip cannot hold are left out.
    static func admit(_ source: URL, recursive: Bool) throws -> Admitted {
        let scan = try DatasetFiles.scan(source, recursive: recursive)
        var admitted = Admitted(leftOut: scan.leftOut)
        for path in scan.files where DatasetFiles.isImage(path) {
            // Found here, before review, rather than at the final zip after the user's work.
            if let problem = ZipEntryName.problem(with: path) {
                admitted.leftOut.append(.init(path: path, reason: "its name cannot go into a zip: \(problem); rename it and drop it again"))
            } else {
                admitted.images.append(path)
            }
        }
        admitted.leftOut.sort { $0.path < $1.path }
        return admitted
    }

    /// Names each left-out file in the job log (control characters escaped), one line each up to `loggedLimit`.
    static func record(_ leftOut: [DatasetIndex.LeftOut], in job: inout Job, at now: Date) {
        for item in leftOut.prefix(loggedLimit) {
            job.record(.warning, "left out \(LogSafeName.escaped(item.path)): \(LogSafeName.escaped(item.reason))", at: now)
        }
        if leftOut.count > loggedLimit {
            job.record(.warning, "left out \(leftOut.count - loggedLimit) more files (all listed in REVIEW.md)", at: now)
        }
    }

    /// Refuses an image whose header declares more than `maxPixels`, before anything decodes it.
    static func checkPixels(_ file: String, maxPixels: Int) throws {
        let header = try ImageHeader.read(path: file)
        guard header.width * header.height <= maxPixels else {
            throw ImagingError.tooManyPixels(file: file, width: header.width, height: header.height, limit: maxPixels)
        }
    }
}
