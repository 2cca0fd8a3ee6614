import Foundation
import ReviewSession
import TerminalUI

/// Draws one frame of the review screen from the session's state (pure apart from reading the clock-free state).
struct ScreenFrame {
    let state: ReviewState
    let label: String
    let size: TerminalSize
    let mode: ThumbnailMode
    let threshold: Double
    let message: String?
    let prompt: String?
    let showsHelp: Bool

    /// Columns given to the thumbnail; none on narrow terminals.
    var thumbnailColumns: Int {
        guard mode != .none, size.columns >= 50 else { return 0 }
        return size.columns >= 100 ? size.columns * 45 / 100 : size.columns / 2
    }

    var thumbnailRows: Int { max(size.rows - 3, 1) }

    static let footer =
        "a approve  r reject  e edit  space toggle  s skip  A approve rest  S skip rest  c approve >=%T%  u undo  <-/-> j/k move  ? help  q quit"

    static let help = [
        "Keys",
        "",
        "a        approve: write the tags as shown (toggled-off tags left out)",
        "r        reject: delete the tags file (library) / empty the caption after asking (dataset)",
        "e        edit in $EDITOR; what the editor saves is written",
        "space    toggle the selected tag on or off",
        "up/down  select a tag",
        "s        skip (decide later)",
        "A        approve every remaining image",
        "S        skip every remaining image",
        "c        approve every remaining image whose best confidence reaches the threshold",
        "u        undo the last decision",
        "<-/-> j/k  previous / next image",
        "q        quit (every decision is already saved)",
        "",
        "Deciding the last image approves the batch (RESUME written), the same as touching RESUME.",
        "Press any key.",
    ]

    /// The frame's text; the thumbnail is drawn separately at (row 2, column 1).
    func render() -> String {
        var out = "\u{1B}[0m\u{1B}[2J"
        let header = headerLine()
        out += "\u{1B}[1;1H\u{1B}[7m" + Self.fit(header, size.columns).padding(toLength: size.columns, withPad: " ", startingAt: 0) + "\u{1B}[0m"
        let left = thumbnailColumns == 0 ? 1 : thumbnailColumns + 3
        let width = max(size.columns - left + 1, 10)
        let panel = showsHelp ? Self.help.map { (Self.fit($0, width), "") } : panelLines(width: width)
        for (offset, line) in panel.prefix(max(size.rows - 3, 0)).enumerated() {
            out += "\u{1B}[\(offset + 2);\(left)H" + line.1 + line.0 + "\u{1B}[0m"
        }
        let status = prompt ?? message ?? ""
        out += "\u{1B}[\(size.rows - 1);1H\u{1B}[1m" + Self.fit(status, size.columns) + "\u{1B}[0m"
        let keys = Self.footer.replacingOccurrences(of: "%T%", with: Self.percent(threshold))
        out += "\u{1B}[\(size.rows);1H\u{1B}[2m" + Self.fit(keys, size.columns) + "\u{1B}[0m"
        return out
    }

    private func headerLine() -> String {
        let position = state.images.isEmpty ? "no images" : "\(state.current + 1)/\(state.images.count)"
        let finished = state.isFinished ? " · batch approved" : ""
        return " sluice review · \(label) · \(position) · \(state.decidedCount) decided · \(state.skippedCount) skipped · \(state.pendingIndices.count) waiting\(finished)"
    }

    /// The info panel: (text, SGR prefix) per line.
    private func panelLines(width: Int) -> [(String, String)] {
        guard let image = state.currentImage else { return [("Nothing to review in this folder.", "")] }
        var lines: [(String, String)] = []
        lines.append((Self.fit(image.file, width), "\u{1B}[1m"))
        var facts = Self.byteCount(image.bytes)
        if let w = image.width, let h = image.height { facts += " · \(w)x\(h)" }
        lines.append((Self.fit(facts, width), ""))
        if let source = image.source { lines.append((Self.fit("source: " + source, width), "")) }
        if let similarity = image.similarity {
            lines.append((Self.fit("similarity: " + Self.percent(similarity) + "%", width), Self.colour(similarity)))
        }
        let decision = state.decision(at: state.current)
        let verdict = decision.map { "\($0.verdict.rawValue) (\($0.by.rawValue))" } ?? "waiting"
        lines.append((Self.fit("decision: " + verdict, width), decision == nil ? "" : "\u{1B}[36m"))
        lines.append(("", ""))

        var tagLines: [(String, String)] = []
        var selectedLine = 0
        let order = state.displayOrder(of: image)
        var lastCategory: String?? = .none
        for (position, index) in order.enumerated() {
            let tag = image.tags[index]
            if state.kind == .libraryBatch, lastCategory != .some(tag.category) {
                tagLines.append((Self.fit(tag.category ?? "general", width), "\u{1B}[4m"))
                lastCategory = .some(tag.category)
            }
            let cursor = position == state.selectedTag ? ">" : " "
            let box = tag.isEnabled ? "[x]" : "[ ]"
            let confidence = tag.confidence.map { "  " + Self.percent($0) + "%" } ?? ""
            if position == state.selectedTag { selectedLine = tagLines.count }
            let style = (tag.isEnabled ? "" : "\u{1B}[9m") + (tag.confidence.map(Self.colour) ?? "")
            tagLines.append((Self.fit("\(cursor) \(box) \(tag.name)\(confidence)", width), style))
        }
        if order.isEmpty { tagLines.append((state.kind.isDataset ? "(empty caption)" : "(no tags: rejected or none found)", "\u{1B}[2m")) }
        if state.kind.isDataset {
            let diff = image.normalizationDiff
            tagLines.append(("", ""))
            if image.captionBeforeNormalization == nil {
                tagLines.append(("normalization: unchanged", "\u{1B}[2m"))
            } else {
                tagLines.append(("normalization:", "\u{1B}[4m"))
                for tag in diff.removed { tagLines.append((Self.fit("- " + tag, width), "\u{1B}[31m")) }
                for tag in diff.added { tagLines.append((Self.fit("+ " + tag, width), "\u{1B}[32m")) }
                if diff.removed.isEmpty && diff.added.isEmpty { tagLines.append(("(order only)", "\u{1B}[2m")) }
            }
        }
        let room = max(size.rows - 3 - lines.count, 1)
        let start = min(max(selectedLine - room / 2, 0), max(tagLines.count - room, 0))
        lines += tagLines[start..<min(start + room, tagLines.count)]
        return lines
    }

    /// Green from 90 %, yellow from 70 %, red below.
    static func colour(_ confidence: Double) -> String {
        confidence >= 90 ? "\u{1B}[32m" : confidence >= 70 ? "\u{1B}[33m" : "\u{1B}[31m"
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func byteCount(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / 1_048_576)
            : bytes >= 1 << 10 ? String(format: "%.1f KB", Double(bytes) / 1024) : "\(bytes) B"
    }

    /// Cuts `text` to `width` characters, control characters made visible so a file name cannot inject escapes.
    static func fit(_ text: String, _ width: Int) -> String {
        let clean = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        guard clean.count > width else { return clean }
        return width <= 1 ? String(clean.prefix(width)) : String(clean.prefix(width - 1)) + "…"
    }
}
