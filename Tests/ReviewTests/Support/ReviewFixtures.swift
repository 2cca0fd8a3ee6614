import Foundation
import Imaging
import Jobs
import ReviewSession

/// A temporary Sluice root holding a library review batch and a dataset job waiting in review.
struct ReviewFixtures {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-review-\(UUID().uuidString)", isDirectory: true)
        for folder in ["inbox", "review", "reviewed", "final", ".sluice/jobs"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// A gradient test picture: red across, green down, blue constant, so any resampling error shows.
    static func picture(width: Int, height: Int) -> PixelImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let base = (y * width + x) * 3
                pixels[base] = UInt8(x * 255 / max(width - 1, 1))
                pixels[base + 1] = UInt8(y * 255 / max(height - 1, 1))
                pixels[base + 2] = UInt8((x / 8 + y / 8) % 2 == 0 ? 60 : 190)
            }
        }
        return PixelImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// `review/pixiv__batch-1/` per the batch contract: three images, their `.tags.txt`, the manifest and REVIEW.md.
    @discardableResult
    func libraryBatch(name: String = "pixiv__batch-1") throws -> URL {
        let folder = root.appendingPathComponent("review/\(name)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let entries: [(String, ImageFormat, Double?, [BatchManifest.Tag])] = [
            ("miku.jpg", .jpeg, 93.1, [
                .init(category: "character", tag: "hatsune miku", confidence: 93.1, source: "danbooru"),
                .init(category: "copyright", tag: "vocaloid", confidence: 93.1, source: "danbooru"),
                .init(category: "general", tag: "twintails", confidence: 93.1, source: "danbooru"),
                .init(category: "general", tag: "long hair", confidence: 93.1, source: "danbooru"),
            ]),
            ("rin.png", .png, 75.5, [
                .init(category: "character", tag: "kagamine rin", confidence: 75.5, source: "danbooru"),
                .init(category: "general", tag: "bow", confidence: 75.5, source: "danbooru"),
            ]),
            ("sky.webp", .webp, nil, [
                .init(category: "sluice", tag: "sluice/aspect:landscape", confidence: 100, source: "sluice"),
                .init(category: "general", tag: "sky", confidence: 40, source: "wd14"),
            ]),
        ]
        var images: [BatchManifest.Image] = []
        for (index, (file, format, similarity, tags)) in entries.enumerated() {
            let path = folder.appendingPathComponent(file)
            try ImageEncoder.write(Self.picture(width: 320 + index * 40, height: 240), as: format, to: path.path)
            let bytes = try FileManager.default.attributesOfItem(atPath: path.path)[.size] as! Int
            let text = tags.map { "\($0.category):\($0.tag)\n" }.joined()
            try Data(text.utf8).write(to: folder.appendingPathComponent(file + ".tags.txt"))
            images.append(.init(
                file: file, bytes: bytes, width: 320 + index * 40, height: 240,
                source: similarity == nil ? nil : "https://danbooru.donmai.us/posts/\(1000 + index)", similarity: similarity,
                tags: tags))
        }
        let manifest = BatchManifest(job: "20261201-100000-pixiv", batch: 1, images: images)
        try JSONEncoder().encode(manifest).write(to: folder.appendingPathComponent(BatchManifest.fileName))
        try Data("# Review: pixiv, batch 1\n\nEdit the .tags.txt files, then touch RESUME.\n".utf8)
            .write(to: folder.appendingPathComponent("REVIEW.md"))
        return folder
    }

    /// A dataset job waiting at the review step: its job.json (written by the Jobs module), `review/mika/` with
    /// images, captions, REVIEW.md and the `.sluice-job` note, and the pre-normalization caption backups.
    @discardableResult
    func datasetJob(dataset: String = "mika", createdAt: Date = Date(timeIntervalSince1970: 1_700_000_000)) throws -> (job: Job, folder: URL) {
        let store = JobStore(stateDirectory: root.appendingPathComponent(".sluice"))
        let id = store.newID(dataset: dataset, now: createdAt)
        var job = Job(id: id, dataset: dataset, origin: "inbox/\(dataset)", plan: .dataset(autotag: false), configSnapshot: "{}", now: createdAt)
        job.machine = JobStateMachine(
            plan: .dataset(autotag: false), status: .waitingManual, step: .review, waitReason: "retag review/\(dataset)/")
        job.artifacts.reviewFolder = dataset
        try store.save(job)
        let folder = root.appendingPathComponent("review/\(dataset)", isDirectory: true)
        let backups = JobFolder(store.folder(of: id)).normalizeBackups
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        let captions = [("001", "1girl, solo, smile, outdoors"), ("002", "1girl, red eyes, indoors")]
        let originals = [("001", "1girl, solo, highres, smile, outdoors, absurdres"), ("002", "")]
        for (index, (stem, caption)) in captions.enumerated() {
            try ImageEncoder.write(Self.picture(width: 256, height: 256 + index * 64), as: .png, to: folder.appendingPathComponent(stem + ".png").path)
            try Data((caption + "\n").utf8).write(to: folder.appendingPathComponent(stem + ".txt"))
        }
        for (stem, original) in originals where !original.isEmpty {
            try Data((original + "\n").utf8).write(to: backups.appendingPathComponent(stem + ".txt"))
        }
        try Data((id + "\n").utf8).write(to: folder.appendingPathComponent(ReviewFolderFiles.jobTag))
        try Data("# Review: \(dataset)\n\n## Tags\n\n2 captions.\n".utf8).write(to: folder.appendingPathComponent("REVIEW.md"))
        return (job, folder)
    }
}

extension URL {
    var text: String? { try? String(contentsOf: self, encoding: .utf8) }
}
