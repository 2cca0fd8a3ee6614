import Foundation
import HTTPClient

/// IQDB's search form: a multipart upload with `file` and repeated `service[]`, answered as an HTML page.
struct IQDBAPI: Sendable {
    /// IQDB refuses files above 8 MiB.
    static let maximumFileBytes = 8 << 20

    let http: HTTPClient
    let settings: LookupSettings

    func search(fileAt path: String) async throws -> IQDBPage {
        let endpoint = settings.iqdbEndpoint.trimmingSuffix("/")
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= Self.maximumFileBytes else {
            throw LookupFailure(
                service: .iqdb, message: "\(path) is \(size) bytes, above IQDB's 8 MiB limit; a smaller copy would be needed",
                isTransient: false)
        }
        var parts: [HTTPRequest.FormPart] = [.text(name: "MAX_FILE_SIZE", value: String(Self.maximumFileBytes))]
        parts += settings.iqdbServices.map { .text(name: "service[]", value: String($0)) }
        parts.append(.file(name: "file", path: path))
        let request = HTTPRequest.multipart(
            url: endpoint + "/", parts: parts, timeouts: settings.iqdbTimeouts, secrets: settings.secrets)
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            throw LookupFailure.transport(error, service: .iqdb)
        }
        guard response.status == 200 else { throw LookupFailure.status(response, service: .iqdb, what: "search") }
        do {
            return try IQDBPage.parse(html: response.text, baseURL: endpoint)
        } catch {
            throw LookupFailure(
                service: .iqdb, message: "search: IQDB answered a page that is not a result page (\(error.excerpt))",
                isTransient: true)
        }
    }

    /// The match to follow: above the minimum similarity, a Danbooru or Gelbooru post first, then the most similar.
    static func bestMatch(in matches: [IQDBPage.Match], minimumSimilarity: Double) -> LookupMatch? {
        let candidates = matches.filter { $0.similarity >= minimumSimilarity }.sorted { $0.similarity > $1.similarity }
        guard let chosen = candidates.first(where: { LookupMatch.booruPost(in: $0.url) != nil }) ?? candidates.first else {
            return nil
        }
        let post = LookupMatch.booruPost(in: chosen.url)
        return LookupMatch(
            site: post?.site, postID: post?.id, postURL: chosen.url, similarity: chosen.similarity, rating: chosen.rating,
            otherURLs: candidates.filter { $0.url != chosen.url }.map(\.url))
    }
}
