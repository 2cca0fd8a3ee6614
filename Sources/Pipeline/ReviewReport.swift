import Foundation
import Jobs
import SystemIO
import TagNormalization

/// The REVIEW.md beside a dataset waiting in review/: how to continue, tag statistics, and what needs a look.
enum ReviewReport {
    static func render(job: Job, folderName: String, index: DatasetIndex?, normalization: String, captions: URL) -> String {
        var lines: [String] = []
        lines.append("# Review: \(job.dataset)")
        lines.append("")
        lines.append("Job `\(job.id)`. Retag the `.txt` captions here, then either touch `\(resumeMarkerName)` in this folder")
        lines.append("or move this folder to `reviewed/`. Sluice then cleans the captions and writes the final zip into `final/`.")
        lines.append("This file, `\(resumeMarkerName)` and `\(jobTagFileName)` never enter the final zip.")
        lines.append("")

        let counts = tagCounts(in: captions, images: index?.images.map(\.path) ?? [])
        lines.append("## Tags")
        lines.append("")
        lines.append("\(counts.captions) captions, \(counts.empty) empty, \(counts.missing) images without a caption, \(counts.frequency.count) distinct tags.")
        lines.append("")
        let top = counts.frequency.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(40)
        if !top.isEmpty {
            lines.append("| tag | captions |")
            lines.append("|---|---|")
            for (tag, count) in top { lines.append("| \(tag) | \(count) |") }
            lines.append("")
        }

        if !normalization.isEmpty {
            lines.append("## What normalization changed")
            lines.append("")
            lines.append(normalization.trimmingCharacters(in: .whitespacesAndNewlines))
            lines.append("")
        }

        if let index {
            lines += listSection("Unreadable images (left out)", index.unreadable.map { "`\($0.path)`: \($0.reason)" })
            lines += listSection(
                "Left out unread (symlinks, special files, names a zip cannot hold)",
                index.leftOut.map { "`\(LogSafeName.escaped($0.path))`: \(LogSafeName.escaped($0.reason))" })
            lines += listSection("Exact duplicates (same bytes)", index.exactDuplicates.map { $0.map { "`\($0)`" }.joined(separator: " = ") })
            if !index.nearDuplicates.isEmpty {
                lines.append("## Near duplicates (perceptual hash distance)")
                lines.append("")
                let shown = index.nearDuplicates.sorted { ($0.distance, $0.first, $0.second) < ($1.distance, $1.first, $1.second) }.prefix(200)
                for pair in shown { lines.append("- `\(pair.first)` ~ `\(pair.second)` (\(pair.distance))") }
                if index.nearDuplicatePairCount > shown.count {
                    lines.append("- … and \(index.nearDuplicatePairCount - shown.count) more pairs (counted, not listed)")
                }
                lines.append("")
            }
        }
        lines += listSection(
            "Images the analyzer did not caption (final.missing_caption applies unless you write one)",
            (job.artifacts.notCaptioned ?? []).map { "`\($0.image)`: \($0.reason)" })
        lines += listSection("Auto-tagger files that matched no original (not used)", (job.artifacts.unmatchedResultFiles ?? []).map { "`\($0)`" })
        return lines.joined(separator: "\n")
    }

    /// A `## title` section listing `items`, or nothing when there are none.
    static func listSection(_ title: String, _ items: [String]) -> [String] {
        items.isEmpty ? [] : ["## \(title)", ""] + items.map { "- " + $0 } + [""]
    }

    struct TagCounts {
        var captions = 0
        var empty = 0
        var missing = 0
        var frequency: [String: Int] = [:]
    }

    static func tagCounts(in folder: URL, images: [String]) -> TagCounts {
        var counts = TagCounts()
        for image in images {
            let file = folder.appendingPathComponent(DatasetFiles.captionPath(forImage: image), isDirectory: false)
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                counts.missing += 1
                continue
            }
            counts.captions += 1
            // The normalization engine's own parser, so counts use the same tag keys the preset compares by.
            let parsed = CaptionText.parse(text)
            let tags = Set((parsed.main + parsed.optional).map(\.key))
            if tags.isEmpty { counts.empty += 1 }
            for tag in tags { counts.frequency[tag, default: 0] += 1 }
        }
        return counts
    }
}
