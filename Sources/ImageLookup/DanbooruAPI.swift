import Foundation
import HTTPClient

/// Danbooru's post API: exact copies by MD5 (no search quota spent) and a post's tags by category.
struct DanbooruAPI: Sendable {
    let http: HTTPClient
    let settings: LookupSettings

    private var endpoint: String { settings.danbooruEndpoint.trimmingSuffix("/") }

    private var headers: [HTTPHeader] {
        guard let login = settings.danbooruLogin, let key = settings.danbooruAPIKey else { return [] }
        return [HTTPHeader("Authorization", "Basic " + Data("\(login):\(key)".utf8).base64EncodedString())]
    }

    /// The post whose file has this MD5, or nil when Danbooru has no such file.
    func post(md5: String) async throws -> BooruPost? {
        let response = try await get("\(endpoint)/posts.json?md5=\(md5)")
        switch response.status {
        case 200:
            let root = LooseJSON.parse(response.body)
            // An object for a hit; some versions answer a (possibly empty) list instead.
            let object = (root as? [String: Any]) ?? (root as? [Any])?.first as? [String: Any]
            if root is [Any] && object == nil { return nil }
            guard let object, let post = Self.post(from: object, endpoint: endpoint) else {
                throw unreadable(response, what: "MD5 lookup")
            }
            if let found = post.md5, found.lowercased() != md5.lowercased() { return nil }
            return post
        case 404:
            return nil
        default:
            throw failure(response, what: "MD5 lookup")
        }
    }

    /// The post with this id, with its tags.
    func post(id: Int) async throws -> BooruPost {
        let response = try await get("\(endpoint)/posts/\(id).json")
        switch response.status {
        case 200:
            guard let object = LooseJSON.parse(response.body) as? [String: Any],
                let post = Self.post(from: object, endpoint: endpoint)
            else { throw unreadable(response, what: "post \(id)") }
            return post
        case 404:
            throw LookupFailure(
                service: .danbooru, message: "post \(id) not found (404); it may have been deleted or hidden", isTransient: false)
        default:
            throw failure(response, what: "post \(id)")
        }
    }

    /// Reads a post object; nil when it has no id.
    static func post(from object: [String: Any], endpoint: String) -> BooruPost? {
        guard let id = LooseJSON.int(object["id"]) else { return nil }
        func tags(_ key: String) -> [String] {
            (LooseJSON.string(object[key]) ?? "").split(separator: " ").map(String.init)
        }
        let source = LooseJSON.string(object["source"]).flatMap { $0.isEmpty ? nil : $0 }
        return BooruPost(
            site: .danbooru, id: id, url: "\(endpoint)/posts/\(id)",
            tags: BooruTags(
                general: tags("tag_string_general"), character: tags("tag_string_character"),
                copyright: tags("tag_string_copyright"), artist: tags("tag_string_artist"), meta: tags("tag_string_meta")),
            rating: LooseJSON.string(object["rating"]).flatMap(Rating.init(booruValue:)),
            source: source, md5: LooseJSON.string(object["md5"]), fileURL: LooseJSON.string(object["file_url"]))
    }

    private func get(_ url: String) async throws -> HTTPResponse {
        do {
            return try await http.send(
                HTTPRequest(url: url, headers: headers + [HTTPHeader("Accept", "application/json")], secrets: settings.secrets))
        } catch {
            throw LookupFailure.transport(error, service: .danbooru)
        }
    }

    private func failure(_ response: HTTPResponse, what: String) -> LookupFailure {
        switch response.status {
        case 401:
            return LookupFailure(
                service: .danbooru,
                message: "\(what): Danbooru refused the login or API key (401); check lookup.danbooru.login and api_key "
                    + "or \(LookupSettings.EnvironmentKey.danbooruLogin) and \(LookupSettings.EnvironmentKey.danbooruAPIKey)",
                isTransient: false)
        case 403:
            return LookupFailure(
                service: .danbooru,
                message: "\(what): Danbooru refused the request (403); the account may lack access, or the User-Agent "
                    + "was blocked: set lookup.contact", isTransient: false)
        default:
            return LookupFailure.status(response, service: .danbooru, what: what)
        }
    }

    private func unreadable(_ response: HTTPResponse, what: String) -> LookupFailure {
        LookupFailure(
            service: .danbooru,
            message: "\(what): the answer is not Danbooru's post JSON (\(HTMLText.plainText(String(response.text.prefix(200))).prefix(80)))",
            isTransient: true)
    }
}
