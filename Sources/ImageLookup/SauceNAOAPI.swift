import Foundation
import HTTPClient

/// SauceNAO's search API: one multipart upload per search, answered as JSON (`output_type=2`).
struct SauceNAOAPI: Sendable {
    let http: HTTPClient
    let settings: LookupSettings

    /// Uploads the file and reads the answer; throws only when no answer came (timeouts, refused connections).
    func search(fileAt path: String) async throws -> SauceNAOAnswer {
        let endpoint = settings.saucenaoEndpoint.trimmingSuffix("/")
        let key = settings.saucenaoAPIKey?.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""
        let indexes = settings.saucenaoDBMask.map { "dbmask=\($0)" } ?? "db=999"
        let url = "\(endpoint)/search.php?output_type=2&numres=\(settings.saucenaoResultCount)&\(indexes)&api_key=\(key)"
        var request = HTTPRequest.multipart(
            url: url, parts: [.file(name: "file", path: path)], headers: [HTTPHeader("Accept", "application/json")],
            secrets: settings.secrets)
        // The pacer, not the client, handles 429: retrying blindly would spend quota and provoke more 429s.
        request.shortTermRateLimitDelay = { _ in nil }
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            throw LookupFailure.transport(error, service: .saucenao)
        }
        return SauceNAOAnswer.parse(status: response.status, body: response.body)
    }
}
