import Foundation
import SystemIO

/// Normalizes a whole dataset with a preset: the per-caption rules, then the dataset-level frequency rule and
/// ordering (see `CaptionNormalizer` for the order). Deterministic and idempotent.
public struct DatasetNormalizer: Sendable {
    public let preset: Preset
    /// Kept first in every caption; overrides the preset's `trigger_word` when set.
    public let triggerWord: String?
    /// How many changed captions the report keeps for a preview.
    public let previewLimit: Int
    /// How `normalizeFolder` makes a batch of rewritten captions durable (see `DurableBatch.Flush`).
    public var flush: DurableBatch.Flush = .syncFileSystem
    /// How many captions `normalizeFolder` reads, normalizes and writes at a time (memory stays flat).
    public var folderBatchSize = 2_000

    public init(preset: Preset, triggerWord: String? = nil, previewLimit: Int = 30) {
        self.preset = preset
        self.triggerWord = triggerWord
        self.previewLimit = previewLimit
    }

    /// Normalizes captions keyed by their relative paths (pure: no files are touched).
    public func normalize(_ captions: [String: String]) -> DatasetNormalization {
        let paths = captions.keys.sorted()
        return normalize(paths: paths, texts: paths.map { captions[$0]! })
    }

    /// Normalizes captions given as parallel arrays of relative paths (sorted) and texts.
    public func normalize(paths: [String], texts: [String]) -> DatasetNormalization {
        precondition(paths.count == texts.count, "one text per path")
        var chunks = prepare(texts)
        let counts = Self.counts(of: chunks)
        let batch = finish(&chunks, paths: paths, texts: texts, frequency: counts.frequency, captionCount: texts.count)
        var report = NormalizationReport(presetName: preset.name)
        var keysAfter: [String: Int] = [:]
        Self.add(batch, to: &report, keysAfter: &keysAfter, previewLimit: previewLimit)
        report.captionCount = texts.count
        report.topTagsBefore = Self.top(counts.keysBefore)
        report.topTagsAfter = Self.top(keysAfter)
        return DatasetNormalization(texts: batch.texts, changes: batch.changes, report: report)
    }

    /// Pass 1 over some captions, in parallel: the per-caption rules, counting keys per worker.
    struct Chunk {
        var range: Range<Int>
        var normalizer: CaptionNormalizer
        var prepared: [CaptionNormalizer.Prepared]
    }

    func prepare(_ texts: [String]) -> [Chunk] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let ranges = ParallelWork.ranges(total: texts.count, pieces: cores * 4, minimum: 512)
        return ParallelWork.map(count: ranges.count) { index -> Chunk in
            var normalizer = CaptionNormalizer(rules: TagRules(preset: preset, triggerWord: triggerWord))
            var prepared: [CaptionNormalizer.Prepared] = []
            prepared.reserveCapacity(ranges[index].count)
            for position in ranges[index] { prepared.append(normalizer.prepare(texts[position])) }
            return Chunk(range: ranges[index], normalizer: normalizer, prepared: prepared)
        }
    }

    /// Key counts of prepared captions: keys as read (for the report) and canonical keys after the per-caption
    /// rules (for the frequency rule). Workers number keys differently, so their counts meet by key.
    struct KeyCounts {
        var keysBefore: [String: Int] = [:]
        var frequency: [String: Int] = [:]

        mutating func add(_ other: KeyCounts) {
            keysBefore.merge(other.keysBefore, uniquingKeysWith: +)
            frequency.merge(other.frequency, uniquingKeysWith: +)
        }
    }

    static func counts(of chunks: [Chunk]) -> KeyCounts {
        var counts = KeyCounts()
        for chunk in chunks {
            let rules = chunk.normalizer.rules
            for facts in rules.facts {
                if rules.countBefore[facts.id] > 0 { counts.keysBefore[facts.key, default: 0] += rules.countBefore[facts.id] }
                if rules.countPrepared[facts.id] > 0 { counts.frequency[facts.key, default: 0] += rules.countPrepared[facts.id] }
            }
        }
        return counts
    }

    /// What pass 2 made of some captions.
    struct Batch {
        /// Relative path → normalized text (every caption of the batch).
        var texts: [String: String] = [:]
        var changes: [CaptionChange] = []
        var keysAfter: [String: Int] = [:]
        var warnings: [String] = []
        var moved = 0
        var reordered = 0
    }

    /// Pass 2: background moves and ordering, with the dataset's counts (`frequency` over `captionCount` captions).
    func finish(
        _ chunks: inout [Chunk], paths: [String], texts: [String], frequency: [String: Int], captionCount: Int
    ) -> Batch {
        for index in chunks.indices {
            chunks[index].normalizer.rules.datasetFrequency = chunks[index].normalizer.rules.facts.map { frequency[$0.canonical] ?? 0 }
        }
        let finishedChunks = chunks
        let outputs = ParallelWork.map(count: finishedChunks.count) { index -> Batch in
            let chunk = finishedChunks[index]
            let rules = chunk.normalizer.rules
            var output = Batch()
            output.texts.reserveCapacity(chunk.prepared.count)
            var countAfter = [Int](repeating: 0, count: rules.facts.count)
            for (offset, caption) in chunk.prepared.enumerated() {
                let position = chunk.range.lowerBound + offset
                let finished = chunk.normalizer.finish(caption, captionCount: captionCount, countAfter: &countAfter)
                output.texts[paths[position]] = finished.text
                output.moved += finished.moved.count
                if finished.isReordered { output.reordered += 1 }
                output.warnings.append(contentsOf: caption.warnings.map { "\(paths[position]): \($0)" })
                if finished.text != texts[position] {
                    output.changes.append(
                        chunk.normalizer.change(path: paths[position], before: texts[position], caption: caption, finished: finished))
                }
            }
            for facts in rules.facts where countAfter[facts.id] > 0 { output.keysAfter[facts.key, default: 0] += countAfter[facts.id] }
            if let triggerKey = rules.triggerKey { output.keysAfter[triggerKey, default: 0] += chunk.prepared.count }
            return output
        }
        var batch = Batch()
        batch.texts.reserveCapacity(texts.count)
        for output in outputs {
            batch.texts.merge(output.texts) { first, _ in first }
            batch.changes.append(contentsOf: output.changes)
            batch.keysAfter.merge(output.keysAfter, uniquingKeysWith: +)
            batch.warnings.append(contentsOf: output.warnings)
            batch.moved += output.moved
            batch.reordered += output.reordered
        }
        return batch
    }

    /// Adds a batch's counts, warnings and first changes to a report (captions and top tags are set by the caller).
    static func add(_ batch: Batch, to report: inout NormalizationReport, keysAfter: inout [String: Int], previewLimit: Int) {
        report.tagsMovedToOptional += batch.moved
        report.captionsReordered += batch.reordered
        report.warnings.append(contentsOf: batch.warnings)
        report.filesChanged += batch.changes.count
        for change in batch.changes {
            report.tagsRemoved += change.removed.count
            report.tagsRedundant += change.redundant.count
            report.duplicatesRemoved += change.duplicates.count
            report.tagsReplaced += change.replaced.count
        }
        keysAfter.merge(batch.keysAfter, uniquingKeysWith: +)
        report.preview.append(contentsOf: batch.changes.prefix(max(0, previewLimit - report.preview.count)))
    }

    /// The most frequent tags, ties broken by name so reports are stable.
    static func top(_ counts: [String: Int], limit: Int = 20) -> [NormalizationReport.TagCount] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map { NormalizationReport.TagCount(tag: $0.key, captions: $0.value) }
    }
}
