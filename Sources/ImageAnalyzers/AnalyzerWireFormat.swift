import ContentAnalysis
import Foundation

/// The JSON-lines protocol between Sluice and an analyzer process (documented in analyzers/README.md); pure.
///
/// The analyzer first prints `{"ready": true}`; then, for each request line
/// `{"id": 7, "path": …, "sha256": …, "width": …, "height": …}` it prints exactly one answer line,
/// `{"id": 7, "tags": [{"tag": …, "category": …, "confidence": 0.93}], "rating": …, "description": …}`
/// or `{"id": 7, "error": "why"}`.
public enum AnalyzerWireFormat {
    /// Longest line accepted from an analyzer; a longer one is a protocol violation.
    public static let maximumLineBytes = 1 << 20
    public static let maximumTags = 2_000
    public static let maximumTagLength = 200
    public static let maximumDescriptionLength = 10_000

    /// A decoded line from the analyzer.
    public enum Message: Equatable, Sendable {
        case ready
        case answer(id: Int, AnalyzerAnswer)
        case failure(id: Int, reason: String)
    }

    /// One request line, newline-terminated.
    public static func requestLine(id: Int, _ request: AnalysisRequest) -> [UInt8] {
        struct Wire: Encodable {
            var id: Int
            var path: String
            var sha256: String
            var width: Int
            var height: Int
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and integers cannot fail.
        let data = try! encoder.encode(
            Wire(id: id, path: request.path, sha256: request.sha256, width: request.width, height: request.height))
        return [UInt8](data) + [0x0A]
    }

    /// Decodes one line (without its newline); the error says what is wrong in words a user can act on.
    public static func decode(_ line: some Collection<UInt8>) -> Result<Message, ProtocolViolation> {
        guard line.count <= maximumLineBytes else { return .failure(.init("a line of \(line.count) bytes (limit \(maximumLineBytes))")) }
        let data = Data(line)
        // The ready line may carry any other keys the analyzer likes (its name, model, sizes).
        if let probe = try? JSONDecoder().decode(ReadyLine.self, from: data), probe.ready == true { return .success(.ready) }
        let wire: WireMessage
        do {
            wire = try JSONDecoder().decode(WireMessage.self, from: data)
        } catch {
            return .failure(.init("not a JSON object: \(preview(line))"))
        }
        guard let id = wire.id else { return .failure(.init("an answer without \"id\": \(preview(line))")) }
        if let error = wire.error { return .success(.failure(id: id, reason: String(error.prefix(500)))) }
        let tags = wire.tags ?? []
        guard tags.count <= maximumTags else { return .failure(.init("\(tags.count) tags (limit \(maximumTags))")) }
        var checked: [AnalysisTag] = []
        for tag in tags {
            guard !tag.tag.isEmpty, tag.tag.count <= maximumTagLength, !tag.tag.contains(where: \.isNewline) else {
                return .failure(.init("a tag that is empty, over \(maximumTagLength) characters or multi-line"))
            }
            guard isCategory(tag.category) else {
                return .failure(.init("tag \"\(tag.tag)\" has category \"\(tag.category)\" (want lowercase letters, digits, _ or -; not \"sluice\")"))
            }
            guard tag.confidence.isFinite, (0...1).contains(tag.confidence) else {
                return .failure(.init("tag \"\(tag.tag)\" has confidence \(tag.confidence) (want 0 to 1)"))
            }
            checked.append(AnalysisTag(category: tag.category, name: tag.tag, confidence: tag.confidence))
        }
        if let confidence = wire.ratingConfidence, !(confidence.isFinite && (0...1).contains(confidence)) {
            return .failure(.init("rating_confidence \(confidence) (want 0 to 1)"))
        }
        if let rating = wire.rating, rating.isEmpty || rating.count > 40 || rating.contains(where: \.isNewline) {
            return .failure(.init("a rating that is empty, multi-line or over 40 characters"))
        }
        let description = wire.description.map { String($0.prefix(maximumDescriptionLength)) }
        checked.sort { $0.confidence > $1.confidence }
        return .success(.answer(id: id, AnalyzerAnswer(
            tags: checked, rating: wire.rating?.lowercased(), ratingConfidence: wire.ratingConfidence,
            description: description)))
    }

    /// Lowercase letters, digits, `_` and `-`, starting with a letter, at most 32; `sluice` is the built-in analysis's own.
    static func isCategory(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 32, text != AnalysisTag.builtInCategory,
            ("a"..."z").contains(first)
        else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// The first 120 bytes of a line, for messages.
    static func preview(_ line: some Collection<UInt8>) -> String {
        let text = String(decoding: line.prefix(120), as: UTF8.self)
        return "\"" + text + (line.count > 120 ? "…" : "") + "\""
    }

    private struct WireTag: Decodable {
        var tag: String
        var category: String
        var confidence: Double
    }

    private struct ReadyLine: Decodable {
        var ready: Bool?
    }

    private struct WireMessage: Decodable {
        var id: Int?
        var tags: [WireTag]?
        var rating: String?
        var ratingConfidence: Double?
        var description: String?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case id, tags, rating, description, error
            case ratingConfidence = "rating_confidence"
        }
    }
}
