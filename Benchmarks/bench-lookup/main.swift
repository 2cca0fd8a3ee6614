// bench-lookup: 40 images against a loopback SauceNAO that enforces 4 searches per 30 seconds, as the real one does
// for a free account. Prints our run time beside the minimum that limit allows and the number of 429s provoked,
// then runs again at once and prints how many network requests the second run made (the cache should make none).

import FlyingFox
import Foundation
import ImageLookup
import Synchronization

let imageCount = 40
let shortLimit = 4
let window: TimeInterval = 30

/// What the fake saw: requests per service, searches and their times, 429s sent.
final class FakeLedger: Sendable {
    private let state = Mutex<(requests: Int, searches: [Date], tooMany: Int, postID: Int)>((0, [], 0, 5_000_000))

    var requests: Int { state.withLock { $0.requests } }
    var tooMany: Int { state.withLock { $0.tooMany } }

    func countRequest() { state.withLock { $0.requests += 1 } }

    /// Admits a search if the sliding 30-second window has room; returns (short remaining, post id) or nil for 429.
    func admitSearch(at now: Date) -> (remaining: Int, postID: Int)? {
        state.withLock { state in
            let inWindow = state.searches.filter { $0 > now.addingTimeInterval(-window) }.count
            guard inWindow < shortLimit else {
                state.tooMany += 1
                return nil
            }
            state.searches.append(now)
            state.postID += 1
            return (shortLimit - inWindow - 1, state.postID)
        }
    }
}

func json(_ text: String, status: HTTPStatusCode = .ok) -> FlyingFox.HTTPResponse {
    FlyingFox.HTTPResponse(statusCode: status, headers: [.contentType: "application/json"], body: Data(text.utf8))
}

func saucenaoAnswer(remaining: Int, postID: Int) -> String {
    """
    {"header":{"user_id":"12345","account_type":"1","short_limit":"\(shortLimit)","long_limit":"100",\
    "long_remaining":60,"short_remaining":\(remaining),"status":0,"results_requested":"8",\
    "index":{"9":{"status":0,"parent_id":9,"id":9,"results":8}},"search_depth":"128","minimum_similarity":45.21,\
    "query_image_display":"\\/userdata\\/temp\\/q.png","query_image":"q.png","results_returned":1},\
    "results":[{"header":{"similarity":"93.12","thumbnail":"https:\\/\\/img3.saucenao.com\\/booru\\/q.jpg","index_id":9,\
    "index_name":"Index #9: Danbooru - q.jpg","dupes":0,"hidden":0},"data":{"ext_urls":["https:\\/\\/danbooru.donmai.us\\/post\\/show\\/\(postID)"],\
    "danbooru_id":\(postID),"creator":"someone","material":"original","characters":"","source":""}}]}
    """
}

func danbooruPost(id: Int) -> String {
    """
    {"id":\(id),"md5":"00000000000000000000000000000000","rating":"g","source":"","tag_string_general":"1girl solo smile",\
    "tag_string_character":"","tag_string_copyright":"original","tag_string_artist":"someone","tag_string_meta":"highres",\
    "file_url":"https://cdn.donmai.us/original/00/00/x.png"}
    """
}

/// Writes a line at once (unbuffered), so progress shows while output goes to a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let ledger = FakeLedger()
let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), logger: .disabled)
await server.appendRoute("POST /saucenao/search.php") { _ in
    ledger.countRequest()
    guard let admitted = ledger.admitSearch(at: Date()) else {
        return FlyingFox.HTTPResponse(
            statusCode: .tooManyRequests, headers: [.contentType: "text/html"],
            body: Data("<strong>Search Rate Too High.</strong><br /><br />Your IP has exceeded the basic 30 second search rate limit.".utf8))
    }
    return json(saucenaoAnswer(remaining: admitted.remaining, postID: admitted.postID))
}
await server.appendRoute("GET /danbooru/posts.json") { _ in
    ledger.countRequest()
    return json(#"{"success":false,"error":"ActiveRecord::RecordNotFound","message":"That record was not found."}"#, status: .notFound)
}
await server.appendRoute("GET /danbooru/posts/*") { request in
    ledger.countRequest()
    let id = Int(request.path.split(separator: "/").last?.split(separator: ".").first ?? "") ?? 0
    return json(danbooruPost(id: id))
}
await server.appendRoute("*") { _ in
    ledger.countRequest()
    return FlyingFox.HTTPResponse(statusCode: .notFound)
}
let serverTask = Task { try await server.run() }
try await server.waitUntilListening()
guard case .ip4(_, let port) = await server.listeningAddress else { fatalError("the fake did not listen on IPv4") }
let base = "http://127.0.0.1:\(port)"

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-lookup-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let images = try (0..<imageCount).map { index in
    let url = directory.appendingPathComponent(String(format: "image-%02d.png", index))
    var bytes = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    bytes.append(Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* (index + 7)) }))
    try bytes.write(to: url)
    return url.path
}

var settings = LookupSettings()
settings.danbooruEndpoint = base + "/danbooru"
settings.saucenaoEndpoint = base + "/saucenao"
settings.iqdbEndpoint = base + "/iqdb"
settings.gelbooruEndpoint = base + "/gelbooru"
settings.saucenaoAPIKey = "bench-key"
settings.contact = "mailto:bench@example.org"
let databasePath = directory.appendingPathComponent(".sluice/lookup.sqlite").path

say("bench-lookup: \(imageCount) images, fake SauceNAO enforcing \(shortLimit) searches per \(Int(window)) s")
let started = Date()
let firstRun = try await LookupSession(settings: settings, cache: try LookupCache(path: databasePath))
    .lookUp(images: images) { done, total in
        if done % 4 == 0 || done == total {
            say(String(format: "  %2d/%d done at %6.1f s", done, total, Date().timeIntervalSince(started)))
        }
    }
let elapsed = Date().timeIntervalSince(started)
let minimum = Double((imageCount + shortLimit - 1) / shortLimit - 1) * window
let matched = firstRun.filter { $0.result?.isMatch == true && !$0.result!.tags.isEmpty }.count
let failures = firstRun.flatMap(\.failures)
let firstRunRequests = ledger.requests

let secondStarted = Date()
let secondRun = try await LookupSession(settings: settings, cache: try LookupCache(path: databasePath)).lookUp(images: images)
let secondElapsed = Date().timeIntervalSince(secondStarted)
let secondRunRequests = ledger.requests - firstRunRequests

say("")
say(String(format: "first run   sluice: %.1f s   minimum the limit allows: %.1f s   ratio: %.3f (target ≤ 1.10)", elapsed, minimum, elapsed / minimum))
say("            429 responses provoked: \(ledger.tooMany) (target 0)")
say("            images matched with tags: \(matched)/\(imageCount), failures: \(failures.count), requests: \(firstRunRequests)")
say(String(format: "second run  network requests: %d (target 0), %.3f s, answered from cache: %d/%d",
             secondRunRequests, secondElapsed, secondRun.filter { $0.result?.fromCache == true }.count, imageCount))
for failure in failures.prefix(5) { say("  failure: \(failure)") }
serverTask.cancel()
let passed = elapsed <= minimum * 1.10 && ledger.tooMany == 0 && secondRunRequests == 0 && matched == imageCount
say(passed ? "PASS" : "FAIL")
exit(passed ? 0 : 1)
