import Foundation

/// Normalizes a whole dataset with a preset: the per-caption rules, then the dataset-level frequency rule and
/// ordering (see `CaptionNormalizer` for the order). Deterministic and idempotent.
public struct DatasetNormalizer: Sendable {
    public let preset: Preset
    /// Kept first in every caption; overrides the preset's `trigger_word` when set.
    public let triggerWord: String?
    /// How many changed captions the report keeps for a preview.
    public let previewLimit: Int

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
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let ranges = ParallelWork.ranges(total: texts.count, pieces: cores * 4, minimum: 512)

        // Pass 1: the per-caption rules, counting keys per worker in arrays.
        struct Chunk {
            var normalizer: CaptionNormalizer
            var prepared: [CaptionNormalizer.Prepared]
        }
        var chunks = ParallelWork.map(count: ranges.count) { index -> Chunk in
            var normalizer = CaptionNormalizer(rules: TagRules(preset: preset, triggerWord: triggerWord))
            var prepared: [CaptionNormalizer.Prepared] = []
            prepared.reserveCapacity(ranges[index].count)
            for position in ranges[index] { prepared.append(normalizer.prepare(texts[position])) }
            return Chunk(normalizer: normalizer, prepared: prepared)
        }
        // Workers number keys differently, so their counts meet by key.
        var keysBefore: [String: Int] = [:]
        var frequency: [String: Int] = [:]
        for chunk in chunks {
            let rules = chunk.normalizer.rules
            for facts in rules.facts {
                if rules.countBefore[facts.id] > 0 { keysBefore[facts.key, default: 0] += rules.countBefore[facts.id] }
                if rules.countPrepared[facts.id] > 0 { frequency[facts.key, default: 0] += rules.countPrepared[facts.id] }
            }
        }
        for index in chunks.indices {
            chunks[index].normalizer.rules.datasetFrequency = chunks[index].normalizer.rules.facts.map { frequency[$0.canonical] ?? 0 }
        }

        // Pass 2: background moves and ordering, with the dataset's counts.
        struct Output {
            var texts: [String]
            var changes: [CaptionChange]
            var keysAfter: [String: Int]
            var warnings: [String]
            var moved: Int
            var reordered: Int
        }
        let finishedChunks = chunks
        let outputs = ParallelWork.map(count: finishedChunks.count) { index -> Output in
            let chunk = finishedChunks[index]
            let rules = chunk.normalizer.rules
            var output = Output(texts: [], changes: [], keysAfter: [:], warnings: [], moved: 0, reordered: 0)
            output.texts.reserveCapacity(chunk.prepared.count)
            var countAfter = [Int](repeating: 0, count: rules.facts.count)
            for (offset, caption) in chunk.prepared.enumerated() {
                let position = ranges[index].lowerBound + offset
                let finished = chunk.normalizer.finish(caption, captionCount: texts.count, countAfter: &countAfter)
                output.texts.append(finished.text)
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

        var report = NormalizationReport(presetName: preset.name)
        report.captionCount = texts.count
        var changes: [CaptionChange] = []
        var newTexts: [String: String] = [:]
        newTexts.reserveCapacity(texts.count)
        for (index, output) in outputs.enumerated() {
            for (offset, text) in output.texts.enumerated() { newTexts[paths[ranges[index].lowerBound + offset]] = text }
            changes.append(contentsOf: output.changes)
            report.tagsMovedToOptional += output.moved
            report.captionsReordered += output.reordered
        }
        report.warnings = outputs.flatMap(\.warnings)
        report.filesChanged = changes.count
        for change in changes {
            report.tagsRemoved += change.removed.count
            report.tagsRedundant += change.redundant.count
            report.duplicatesRemoved += change.duplicates.count
            report.tagsReplaced += change.replaced.count
        }
        report.topTagsBefore = Self.top(keysBefore)
        report.topTagsAfter = Self.top(Self.merged(outputs.map(\.keysAfter)))
        report.preview = Array(changes.prefix(previewLimit))
        return DatasetNormalization(texts: newTexts, changes: changes, report: report)
    }

    private static func merged(_ parts: [[String: Int]]) -> [String: Int] {
        guard var total = parts.first else { return [:] }
        for part in parts.dropFirst() { total.merge(part, uniquingKeysWith: +) }
        return total
    }

    /// The most frequent tags, ties broken by name so reports are stable.
    static func top(_ counts: [String: Int], limit: Int = 20) -> [NormalizationReport.TagCount] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map { NormalizationReport.TagCount(tag: $0.key, captions: $0.value) }
    }
}
