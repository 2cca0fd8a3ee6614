import Foundation

/// `<image>.tags.txt`: one `category:tag` per line (the review batch format), read when tags were approved elsewhere.
public enum TagsFile {
    /// The tags of the file beside `image`, or nil when there is none.
    public static func read(besides image: String) -> [LibraryTag]? {
        guard let text = try? String(contentsOfFile: image + ".tags.txt", encoding: .utf8) else { return nil }
        var seen = Set<String>()
        return text.split(whereSeparator: \.isNewline).compactMap { LibraryTag.parse(line: String($0)) }.filter { seen.insert($0.line).inserted }
    }
}
