extension NormalizationReport {
    /// A short human summary: counts, top tags before and after, warnings, and where the backups are.
    public func summary(topTags: Int = 10) -> String {
        var lines: [String] = []
        let verb = isDryRun ? "would change" : "changed"
        lines.append("Preset \(presetName): \(verb) \(filesChanged) of \(captionCount) captions\(isDryRun ? " (dry run, nothing written)" : "").")
        lines.append("  tags removed:           \(tagsRemoved)")
        lines.append("  redundant (implied):    \(tagsRedundant)")
        lines.append("  duplicates removed:     \(duplicatesRemoved)")
        lines.append("  tags replaced:          \(tagsReplaced)")
        lines.append("  moved to optional:      \(tagsMovedToOptional)")
        lines.append("  captions reordered:     \(captionsReordered)")
        if !topTagsBefore.isEmpty || !topTagsAfter.isEmpty {
            lines.append("  top tags before: " + Self.list(topTagsBefore.prefix(topTags)))
            lines.append("  top tags after:  " + Self.list(topTagsAfter.prefix(topTags)))
        }
        if !skippedFiles.isEmpty {
            lines.append("  \(skippedFiles.count) .txt file(s) without an image beside them were left alone (first: \(skippedFiles[0])).")
        }
        if !warnings.isEmpty {
            lines.append("  \(warnings.count) warning(s):")
            for warning in warnings.prefix(10) { lines.append("    \(warning)") }
            if warnings.count > 10 { lines.append("    … and \(warnings.count - 10) more") }
        }
        if let backupDirectory { lines.append("  originals backed up in \(backupDirectory)") }
        return lines.joined(separator: "\n")
    }

    /// A before/after listing of up to `limit` changed captions.
    public func previewText(limit: Int = 30) -> String {
        guard !preview.isEmpty, limit > 0 else { return "No caption changes." }
        var lines: [String] = []
        for change in preview.prefix(limit) {
            lines.append("\(change.path)")
            lines.append("  before: \(Self.oneLine(change.before))")
            lines.append("  after:  \(change.after)")
        }
        if filesChanged > min(limit, preview.count) {
            lines.append("… \(filesChanged - min(limit, preview.count)) more changed caption(s).")
        }
        return lines.joined(separator: "\n")
    }

    /// Text shown on one line: a BOM dropped, line breaks shown as ⏎.
    private static func oneLine(_ text: String) -> String {
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text = String(text.unicodeScalars.dropFirst()) }
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " ⏎ ")
    }

    private static func list<S: Sequence<TagCount>>(_ counts: S) -> String {
        counts.map { "\($0.tag) (\($0.captions))" }.joined(separator: ", ")
    }
}
