import Foundation
import Glibc
import Hashing
import SystemIO

/// Step F's progress record: the step's inputs and how far its durable file work got (images staged, captions
/// written), so a restart after a kill keeps the finished batches and redoes at most the one in flight.
///
/// One small JSON object (its size does not grow with the job), replaced atomically after each batch through
/// `DurableBatch`, whose order makes the batch's own files durable first: a record never claims a file that a
/// power cut could still lose, and a kill leaves the old record or the new one, never a torn one.
struct NormalizeCheckpoint {
    /// What the staging folder was built from: a restart continues only when every field is the same.
    struct Inputs: Codable, Equatable {
        /// The caption folder read (`source`, `captions-from-result` or `captions-from-analyzer`).
        var captionFolder: String
        /// The caption folder's device and inode: a folder replaced whole (never edited in place) gets a new one.
        var captionFolderIdentity: String
        /// SHA-256 of the resolved preset the captions were normalized with.
        var presetSHA256: String
        /// Images are clones (the folder goes to review/) rather than hard links.
        var clonesImages: Bool
        var imageCount: Int
        /// SHA-256 of every image's path and size, in the index's order (the order images are staged in).
        var imageListSHA256: String
        var captionCount: Int
    }

    /// The record: the inputs, and the durable prefix of each phase.
    struct Progress: Codable, Equatable {
        var inputs: Inputs
        /// Images `0..<imagesStaged` (index order) are linked or cloned whole, their folder entries durable.
        var imagesStaged = 0
        /// Captions at positions `0..<captionsWritten` of the sorted caption paths are written durably, their
        /// backups' folder entries too.
        var captionsWritten = 0
    }

    /// Where a restart stands.
    enum Start: Equatable {
        /// Nothing to continue: no record and no staging folder.
        case fresh
        /// The staging folder continues from `Progress`.
        case resume(Progress)
        /// What was there does not fit the inputs (the reason, for the job log): it is rebuilt from nothing.
        case startOver(String)
    }

    let url: URL

    /// Where a step with `inputs` stands, given whether its staging folder exists.
    func start(for inputs: Inputs, stagingExists: Bool) -> Start {
        guard let data = try? Data(contentsOf: url) else {
            return stagingExists ? .startOver("its staging folder has no progress record") : .fresh
        }
        guard let recorded = try? JSONDecoder().decode(Progress.self, from: data) else {
            return .startOver("its progress record \(url.path) does not read")
        }
        guard stagingExists else { return .startOver("its progress record has no staging folder") }
        if let change = Self.difference(recorded.inputs, inputs) { return .startOver("the \(change) changed since it was interrupted") }
        guard recorded.imagesStaged <= inputs.imageCount, recorded.captionsWritten <= inputs.captionCount,
            recorded.captionsWritten == 0 || recorded.imagesStaged == inputs.imageCount
        else { return .startOver("its progress record counts more than there is") }
        return .resume(recorded)
    }

    /// Replaces the record with `progress` once `folders`' entries are durable (and, with `flushingData`, the data
    /// of files copied since the last record: one `syncfs` of the file system).
    func save(_ progress: Progress, syncingFirst folders: Set<String>, flushingData: Bool) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let record = DurableBatch.Write(path: url.path, bytes: Array(try encoder.encode(progress)))
        let durability = flushingData ? DurableBatch(flush: .syncFileSystem, syncFileSystemMinimum: 1) : DurableBatch(flush: .fsyncEach)
        if let failure = durability.write([record], syncingFirst: folders).first ?? nil { throw failure }
    }

    /// Deletes the record (once the staging folder is published, or when it is rebuilt from nothing).
    func remove() {
        unlink(url.path)
    }

    /// The inputs of a step reading captions from `captionFolder` for `images` with the preset `resolvedPreset`.
    static func inputs(
        captionFolder: URL, resolvedPreset: String, clonesImages: Bool, images: [DatasetIndex.Image], captionCount: Int
    ) -> Inputs {
        var info = stat()
        let identity = lstat(captionFolder.path, &info) == 0 ? "\(info.st_dev):\(info.st_ino)" : "missing"
        let list = StreamingDigest()
        for image in images { Array("\(image.path)\t\(image.size)\n".utf8).withUnsafeBytes { list.update($0) } }
        return Inputs(
            captionFolder: captionFolder.lastPathComponent, captionFolderIdentity: identity,
            presetSHA256: FileDigest.hex(of: Data(resolvedPreset.utf8)), clonesImages: clonesImages,
            imageCount: images.count, imageListSHA256: list.finishHex(), captionCount: captionCount)
    }

    /// The first input that differs, in words, or nil when they are the same.
    static func difference(_ recorded: Inputs, _ current: Inputs) -> String? {
        if recorded.presetSHA256 != current.presetSHA256 { return "preset" }
        if recorded.captionFolder != current.captionFolder || recorded.captionFolderIdentity != current.captionFolderIdentity {
            return "caption folder"
        }
        if recorded.clonesImages != current.clonesImages { return "way images are staged (review auto-approval)" }
        if recorded.imageCount != current.imageCount || recorded.imageListSHA256 != current.imageListSHA256 { return "image list" }
        if recorded.captionCount != current.captionCount { return "caption list" }
        return nil
    }
}
