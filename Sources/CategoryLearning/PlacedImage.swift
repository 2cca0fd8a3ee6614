import Foundation

/// Where the library profile put one image in `final/`, with the tags it decided on; a job's manifest holds a list
/// of these (`PlacedImage.readList` / `writeList`), and start-up compares them with where the files are now.
public struct PlacedImage: Codable, Equatable, Sendable {
    public var sha256: String
    /// Relative to `final/`: `Vocaloid/miku_01.png`.
    public var finalPath: String
    /// The file's size, when known: lets start-up hash only same-size files when looking for a moved image.
    public var bytes: Int64?
    public var tags: [LearningTag]
    /// The category the learner proposed (used or not), nil when it had nothing to say.
    public var suggestedCategory: String?

    public init(sha256: String, finalPath: String, bytes: Int64? = nil, tags: [LearningTag], suggestedCategory: String? = nil) {
        self.sha256 = sha256
        self.finalPath = finalPath
        self.bytes = bytes
        self.tags = tags
        self.suggestedCategory = suggestedCategory
    }

    /// The category folder the image is in: the path's folders (`Fanart/Touhou`), empty directly under `final/`.
    public var category: String { PlacedImage.category(ofPath: finalPath) }

    /// The category of a path relative to `final/`.
    public static func category(ofPath path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// Reads a JSON list of placements, naming the file when it is malformed.
    public static func readList(from url: URL) throws -> [PlacedImage] {
        let data = try Data(contentsOf: url)
        do {
            return try JSONDecoder().decode([PlacedImage].self, from: data)
        } catch {
            throw LearningError.malformedManifest(path: url.path, reason: "\(error)")
        }
    }

    /// Encodes a list of placements as the manifest's JSON (sorted keys, so diffs stay small).
    public static func encodeList(_ images: [PlacedImage]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(images)
    }
}
