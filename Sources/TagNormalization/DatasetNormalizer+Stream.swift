import Foundation

extension DatasetNormalizer {
    /// Normalizes the captions at `paths` (sorted), `folderBatchSize` at a time so memory stays flat. A first pass
    /// reads every caption through `read` and counts its tags for the frequency rule, keeping only the counts; a
    /// second pass reads each batch again, normalizes it in memory and hands it to `write`, in order. `read`
    /// returns a batch's captions in the same order (nil for one that has none, which is skipped).
    /// - Returns: the report (its `backupDirectory`, `skippedFiles` and `isDryRun` are left for the caller).
    /// - Throws: what `read` or `write` throws (nothing is handed to `write` when the first pass throws).
    public func normalizeCaptions(
        paths: [String], read: (ArraySlice<String>) throws -> [(data: Data, text: String)?],
        write: ([NormalizedCaption]) throws -> Void
    ) throws -> NormalizationReport {
        try normalizeCaptions(paths: paths, read: read) { (_: Range<Int>, captions: [NormalizedCaption]) in try write(captions) }
    }

    /// `normalizeCaptions(paths:read:write:)`, with `write` also told which positions of `paths` each batch covers
    /// (every batch is handed over, an empty one too), so a caller that resumes can skip what it already wrote.
    public func normalizeCaptions(
        paths: [String], read: (ArraySlice<String>) throws -> [(data: Data, text: String)?],
        write: (_ positions: Range<Int>, _ captions: [NormalizedCaption]) throws -> Void
    ) throws -> NormalizationReport {
        let batches = stride(from: 0, to: paths.count, by: max(1, folderBatchSize)).map { $0..<min($0 + folderBatchSize, paths.count) }
        var counts = KeyCounts()
        var captionCount = 0
        for range in batches {
            let texts = try read(paths[range]).compactMap { $0?.text }
            captionCount += texts.count
            counts.add(Self.counts(of: prepare(texts)))
        }

        var report = NormalizationReport(presetName: preset.name)
        var keysAfter: [String: Int] = [:]
        for range in batches {
            let captions = try read(paths[range])
            let present = zip(paths[range], captions).compactMap { path, caption in caption.map { (path: path, caption: $0) } }
            let batchPaths = present.map { $0.path }
            let texts = present.map { $0.caption.text }
            var chunks = prepare(texts)
            let batch = finish(&chunks, paths: batchPaths, texts: texts, frequency: counts.frequency, captionCount: captionCount)
            Self.add(batch, to: &report, keysAfter: &keysAfter, previewLimit: previewLimit)
            try write(range, present.enumerated().map { position, entry in
                let text = batch.texts[entry.path]!
                return NormalizedCaption(path: entry.path, original: entry.caption.data, changedText: text == texts[position] ? nil : text)
            })
        }
        report.captionCount = captionCount
        report.topTagsBefore = Self.top(counts.keysBefore)
        report.topTagsAfter = Self.top(keysAfter)
        return report
    }

    /// Reads and decodes captions on every core: `load` gives the bytes at a full path (nil when there are none);
    /// errors name `root/path`.
    /// - Throws: `CaptionReadError.notUTF8` for a caption that is not UTF-8, or what `load` throws.
    public static func readCaptions(
        _ paths: ArraySlice<String>, root: String, load: @Sendable (String) throws -> Data?
    ) throws -> [(data: Data, text: String)?] {
        let list = Array(paths)
        let ranges = ParallelWork.ranges(total: list.count, pieces: ProcessInfo.processInfo.activeProcessorCount * 2, minimum: 128)
        let read = ParallelWork.map(count: ranges.count) { index -> Result<[(data: Data, text: String)?], any Error> in
            Result {
                try ranges[index].map { position in
                    let file = root + "/" + list[position]
                    guard let data = try load(file) else { return nil }
                    return (data, try CaptionText.decode(data, path: file))
                }
            }
        }
        var captions: [(data: Data, text: String)?] = []
        captions.reserveCapacity(list.count)
        for result in read { captions.append(contentsOf: try result.get()) }
        return captions
    }
}
