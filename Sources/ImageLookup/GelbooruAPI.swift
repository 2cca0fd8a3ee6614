import Foundation
import HTTPClient

/// Gelbooru's DAPI: a post by id (tags come as one HTML-escaped string) and the tags' categories.
struct GelbooruAPI: Sendable {
    let http: HTTPClient
    let settings: LookupSettings

    private var endpoint: String { settings.gelbooruEndpoint.trimmingSuffix("/") }

    /// Gelbooru's API answers only with both an API key and the numeric user id.
    var isConfigured: Bool { settings.gelbooruAPIKey != nil && settings.gelbooruUserID != nil }

    /// The post with this id and its tags by category; when the categories cannot be read, every tag is general
    /// and the failure is returned beside the post.
    func post(id: Int) async throws -> (post: BooruPost, categoryFailure: LookupFailure?) {
        let response = try await get(query: "page=dapi&s=post&q=index&json=1&id=\(id)")
        guard response.status == 200 else { throw failure(response, what: "post \(id)") }
        guard let posts = Self.envelope(response.body, key: "post") else { throw unreadable(response, what: "post \(id)") }
        guard let object = posts.first, var post = Self.post(from: object, endpoint: endpoint) else {
            throw LookupFailure(
                service: .gelbooru, message: "post \(id) not found (empty answer); it may have been deleted", isTransient: false)
        }
        do {
            post.tags = try await categorize(post.tags.general)
            return (post, nil)
        } catch let failure as LookupFailure {
            return (post, failure)
        }
    }

    /// Sorts tag names into categories through the tag endpoint (type 0 general, 1 artist, 3 copyright,
    /// 4 character, 5 meta); unknown tags stay general.
    func categorize(_ names: [String]) async throws -> BooruTags {
        var types: [String: Int] = [:]
        var start = 0
        while start < names.count {
            let chunk = names[start..<min(start + 100, names.count)]
            start += 100
            let joined = chunk.joined(separator: " ").addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""
            let response = try await get(query: "page=dapi&s=tag&q=index&json=1&limit=100&names=\(joined)")
            guard response.status == 200 else { throw failure(response, what: "tag categories") }
            guard let tags = Self.envelope(response.body, key: "tag") else { throw unreadable(response, what: "tag categories") }
            for tag in tags {
                if let name = LooseJSON.string(tag["name"]), let type = LooseJSON.int(tag["type"]) {
                    types[HTMLText.unescape(name)] = type
                }
            }
        }
        var result = BooruTags()
        for name in names {
            switch types[name] {
            case 1: result.artist.append(name)
            case 3: result.copyright.append(name)
            case 4: result.character.append(name)
            case 5: result.meta.append(name)
            default: result.general.append(name)
            }
        }
        return result
    }

    /// The list under `key` in `{"@attributes": …, key: [...]}`; an envelope without the key is an empty list,
    /// and an older bare list is accepted too. Nil when the body is not such JSON.
    static func envelope(_ body: Data, key: String) -> [[String: Any]]? {
        let root = LooseJSON.parse(body)
        if let list = root as? [[String: Any]] { return list }
        guard let object = root as? [String: Any] else { return nil }
        if let list = object[key] as? [[String: Any]] { return list }
        if let single = object[key] as? [String: Any] { return [single] }
        return object["@attributes"] != nil ? [] : nil
    }

    /// Reads a post object: its tags are one HTML-escaped string, all general until categorized.
    static func post(from object: [String: Any], endpoint: String) -> BooruPost? {
        guard let id = LooseJSON.int(object["id"]) else { return nil }
        let tags = HTMLText.unescape(LooseJSON.string(object["tags"]) ?? "").split(separator: " ").map(String.init)
        let source = LooseJSON.string(object["source"]).map(HTMLText.unescape).flatMap { $0.isEmpty ? nil : $0 }
        return BooruPost(
            site: .gelbooru, id: id, url: "\(endpoint)/index.php?page=post&s=view&id=\(id)", tags: BooruTags(general: tags),
            rating: LooseJSON.string(object["rating"]).flatMap(Rating.init(booruValue:)), source: source,
            md5: LooseJSON.string(object["md5"]), fileURL: LooseJSON.string(object["file_url"]))
    }

    private func get(query: String) async throws -> HTTPResponse {
        let key = settings.gelbooruAPIKey?.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""
        let user = settings.gelbooruUserID?.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""
        let url = "\(endpoint)/index.php?\(query)&api_key=\(key)&user_id=\(user)"
        do {
            return try await http.send(HTTPRequest(url: url, secrets: settings.secrets))
        } catch {
            throw LookupFailure.transport(error, service: .gelbooru)
        }
    }

    private func failure(_ response: HTTPResponse, what: String) -> LookupFailure {
        if response.status == 401 || response.status == 403 {
            return LookupFailure(
                service: .gelbooru,
                message: "\(what): Gelbooru refused the API key or user id (\(response.status)); check lookup.gelbooru.api_key "
                    + "and user_id or \(LookupSettings.EnvironmentKey.gelbooruAPIKey) and \(LookupSettings.EnvironmentKey.gelbooruUserID)",
                isTransient: false)
        }
        return LookupFailure.status(response, service: .gelbooru, what: what)
    }

    private func unreadable(_ response: HTTPResponse, what: String) -> LookupFailure {
        LookupFailure(
            service: .gelbooru,
            message: "\(what): the answer is not Gelbooru's JSON (\(HTMLText.plainText(String(response.text.prefix(200))).prefix(80)))",
            isTransient: true)
    }
}

extension CharacterSet {
    /// Characters that may stand unescaped in a query value (`&`, `=`, `+` and `#` excluded).
    static let urlQueryValueAllowed: CharacterSet = {
        var set = CharacterSet.urlQueryAllowed
        set.remove(charactersIn: "&=+#")
        return set
    }()
}
