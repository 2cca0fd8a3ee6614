import Foundation

/// What kind of review folder a session works on; it decides the decision file and what rejecting means.
public enum ReviewKind: Sendable, Equatable {
    /// `review/<drop>__batch-<n>/`: `<image>.tags.txt` per image, rejecting deletes it.
    case libraryBatch
    /// `review/<dataset>/`: `<image stem>.txt` captions, rejecting empties the caption (after asking).
    case datasetJob(id: String?)

    /// The file a decision on `image` writes, relative to the review folder.
    public func decisionFile(for image: String) -> String {
        switch self {
        case .libraryBatch: image + ".tags.txt"
        case .datasetJob: (image as NSString).deletingPathExtension + ".txt"
        }
    }

    /// The decision file's text for the enabled tags.
    public func render(_ tags: [ReviewTag]) -> String {
        let kept = tags.filter(\.isEnabled)
        switch self {
        case .libraryBatch: return kept.map { "\($0.category ?? "general"):\($0.name)\n" }.joined()
        case .datasetJob: return kept.isEmpty ? "" : kept.map(\.name).joined(separator: ", ") + "\n"
        }
    }

    /// The tags a decision file holds.
    public func parse(_ text: String) -> [ReviewTag] {
        switch self {
        case .libraryBatch:
            return text.split(whereSeparator: \.isNewline).compactMap { ReviewTag.parseLine($0) }
        case .datasetJob:
            let line = text.split(whereSeparator: \.isNewline).first ?? ""
            return Self.captionTags(String(line)).map { ReviewTag(category: nil, name: $0) }
        }
    }

    /// A caption line's tags as written (`#optional` kept as a tag so the marker survives approval).
    static func captionTags(_ line: String) -> [String] {
        line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public var isDataset: Bool { if case .datasetJob = self { true } else { false } }
}
