import Foundation

/// SauceNAO's account header: its limits, remaining counts and status, read despite the field types varying.
public struct SauceNAOHeader: Sendable, Equatable {
    public var status: Int
    public var message: String?
    public var shortLimit: Int?
    public var longLimit: Int?
    public var shortRemaining: Int?
    public var longRemaining: Int?
    /// The service's own similarity floor for this search.
    public var minimumSimilarity: Double?
    /// Indexes that failed for this search (status > 0 answers still count against the quota).
    public var failedIndexCount: Int

    /// The limits as the pacer wants them, when the answer carried them.
    public var limits: SauceNAOLimits? {
        guard shortLimit != nil || longLimit != nil || shortRemaining != nil || longRemaining != nil else { return nil }
        return SauceNAOLimits(
            shortLimit: shortLimit, longLimit: longLimit, shortRemaining: shortRemaining, longRemaining: longRemaining)
    }
}

/// One SauceNAO result.
public struct SauceNAOResult: Sendable, Equatable {
    public var similarity: Double
    public var indexID: Int?
    public var indexName: String?
    /// Missing for some indexes.
    public var extURLs: [String]
    public var danbooruID: Int?
    public var gelbooruID: Int?
    public var creators: [String]
    public var source: String?
}

/// Everything SauceNAO can answer to a search, already told apart.
public enum SauceNAOAnswer: Sendable, Equatable {
    /// Status 0 (all indexes answered) or > 0 (some failed; still counted). `results: null` gives an empty list.
    case results(SauceNAOHeader, [SauceNAOResult])
    /// Status < 0: the request or the image was bad. Skip it; retrying soon will not help.
    case rejected(SauceNAOHeader)
    /// HTTP 429 for the 30-second limit.
    case shortLimitReached(message: String)
    /// HTTP 429 for the daily limit.
    case dailyLimitReached(message: String)
    /// HTTP 403: the API key is missing or wrong.
    case invalidKey(message: String)
    /// HTTP 413: the file is larger than SauceNAO accepts.
    case fileTooLarge
    /// Another HTTP status.
    case unexpectedStatus(Int, message: String)
    /// A 200 whose body is not SauceNAO's JSON (truncated, garbage, an HTML error page).
    case unreadable(excerpt: String)

    /// Tells SauceNAO's answers apart from the HTTP status and the body, which may be JSON or HTML.
    public static func parse(status: Int, body: Data) -> SauceNAOAnswer {
        let root = LooseJSON.parse(body) as? [String: Any]
        let headerObject = root?["header"] as? [String: Any]
        let message = LooseJSON.string(headerObject?["message"]).map(HTMLText.plainText)
            ?? HTMLText.plainText(String(decoding: body.prefix(2000), as: UTF8.self))
        switch status {
        case 200:
            break
        case 429:
            // Both limits answer 429; only the wording differs ("Daily Search Limit Exceeded" vs "Search Rate Too High").
            return message.lowercased().contains("daily") ? .dailyLimitReached(message: message) : .shortLimitReached(message: message)
        case 403:
            return .invalidKey(message: message)
        case 413:
            return .fileTooLarge
        default:
            return .unexpectedStatus(status, message: String(message.prefix(200)))
        }
        guard let root, let headerObject else {
            return .unreadable(excerpt: String(HTMLText.plainText(String(decoding: body.prefix(400), as: UTF8.self)).prefix(120)))
        }
        let header = parseHeader(headerObject)
        if header.status < 0 { return .rejected(header) }
        let results = (root["results"] as? [Any] ?? []).compactMap { ($0 as? [String: Any]).flatMap(parseResult) }
        return .results(header, results)
    }

    private static func parseHeader(_ object: [String: Any]) -> SauceNAOHeader {
        // `index` is an object keyed by index id, or an array on some answers.
        let indexEntries: [Any]
        if let dictionary = object["index"] as? [String: Any] {
            indexEntries = Array(dictionary.values)
        } else {
            indexEntries = object["index"] as? [Any] ?? []
        }
        let failed = indexEntries.filter { entry in
            guard let entry = entry as? [String: Any], let status = LooseJSON.int(entry["status"]) else { return false }
            return status != 0
        }.count
        return SauceNAOHeader(
            status: LooseJSON.int(object["status"]) ?? 0,
            message: LooseJSON.string(object["message"]).map(HTMLText.plainText),
            shortLimit: LooseJSON.int(object["short_limit"]),
            longLimit: LooseJSON.int(object["long_limit"]),
            shortRemaining: LooseJSON.int(object["short_remaining"]),
            longRemaining: LooseJSON.int(object["long_remaining"]),
            minimumSimilarity: LooseJSON.double(object["minimum_similarity"]),
            failedIndexCount: failed)
    }

    private static func parseResult(_ object: [String: Any]) -> SauceNAOResult? {
        guard let header = object["header"] as? [String: Any], let similarity = LooseJSON.double(header["similarity"]) else {
            return nil
        }
        let data = object["data"] as? [String: Any] ?? [:]
        return SauceNAOResult(
            similarity: similarity,
            indexID: LooseJSON.int(header["index_id"]),
            indexName: LooseJSON.string(header["index_name"]),
            extURLs: LooseJSON.strings(data["ext_urls"]),
            danbooruID: LooseJSON.int(data["danbooru_id"]),
            gelbooruID: LooseJSON.int(data["gelbooru_id"]),
            creators: LooseJSON.strings(data["creator"]),
            source: LooseJSON.string(data["source"]))
    }
}

extension SauceNAOAnswer {
    /// The result to follow: above both similarity floors, a Danbooru or Gelbooru post first (those give tags),
    /// then the most similar. Nil is "no match".
    public static func bestMatch(in results: [SauceNAOResult], header: SauceNAOHeader, minimumSimilarity: Double) -> LookupMatch? {
        let floor = max(minimumSimilarity, header.minimumSimilarity ?? 0)
        let candidates = results.filter { $0.similarity >= floor }.sorted { $0.similarity > $1.similarity }
        let chosen = candidates.first { $0.danbooruID != nil || $0.gelbooruID != nil } ?? candidates.first
        guard let chosen else { return nil }
        if let id = chosen.danbooruID {
            return LookupMatch(
                site: .danbooru, postID: id, postURL: "https://danbooru.donmai.us/posts/\(id)", similarity: chosen.similarity,
                otherURLs: chosen.extURLs)
        }
        if let id = chosen.gelbooruID {
            return LookupMatch(
                site: .gelbooru, postID: id, postURL: "https://gelbooru.com/index.php?page=post&s=view&id=\(id)",
                similarity: chosen.similarity, otherURLs: chosen.extURLs)
        }
        guard let url = chosen.extURLs.first ?? chosen.source else { return nil }
        return LookupMatch(site: nil, postID: nil, postURL: url, similarity: chosen.similarity, otherURLs: Array(chosen.extURLs.dropFirst()))
    }
}
