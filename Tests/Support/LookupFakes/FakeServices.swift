import LoopbackHTTPServer
import Foundation
import HTTPClient
import ImageLookup
import Synchronization

/// Loopback fakes of Danbooru, SauceNAO, IQDB and Gelbooru behind one server, one path prefix each; every route is
/// a closure a test may replace. The defaults answer like the real services do for an unknown image.
public final class FakeServices: @unchecked Sendable {
    public enum Service: String, CaseIterable, Sendable { case danbooru, saucenao, iqdb, gelbooru }
    public typealias Handler = @Sendable (LoopbackServer.Request) -> LoopbackServer.Reply

    /// The routes, in a class of their own so the server's handler can hold them.
    private final class Routes: Sendable {
        let table: Mutex<[Service: Handler]>
        init(_ table: [Service: Handler]) { self.table = Mutex(table) }
    }

    private let routes: Routes
    private let server: LoopbackServer

    public init() throws {
        let routes = Routes([
            .danbooru: { _ in .json(Fixtures.danbooruNotFound, status: 404) },
            .saucenao: { request in
                request.query["api_key"].map { !$0.isEmpty } == true
                    ? .json(Fixtures.saucenao(results: "null")) : .json(Fixtures.saucenaoInvalidKey, status: 403)
            },
            .iqdb: { _ in .html(Fixtures.iqdbNoMatch) },
            .gelbooru: { _ in .json(Fixtures.gelbooruEmpty) },
        ])
        self.routes = routes
        server = try LoopbackServer { request in
            let prefix = request.path.split(separator: "/").first.map(String.init) ?? ""
            guard let service = Service(rawValue: prefix) else { return .respond(status: 404) }
            return routes.table.withLock { $0[service]! }(request)
        }
    }

    deinit { server.stop() }

    public func on(_ service: Service, _ handler: @escaping Handler) {
        routes.table.withLock { $0[service] = handler }
    }

    public func requests(to service: Service) -> [LoopbackServer.Request] {
        server.requests.filter { $0.path.hasPrefix("/\(service.rawValue)/") }
    }

    public var requestCount: Int { server.requestCount }

    /// Settings pointing every service here, with keys set and quick timeouts and retries.
    public func settings() -> LookupSettings {
        var settings = LookupSettings()
        settings.danbooruEndpoint = server.baseURL + "/danbooru"
        settings.saucenaoEndpoint = server.baseURL + "/saucenao"
        settings.iqdbEndpoint = server.baseURL + "/iqdb"
        settings.gelbooruEndpoint = server.baseURL + "/gelbooru"
        settings.saucenaoAPIKey = "sauce-SECRET-key"
        settings.danbooruLogin = "danbooru-SECRET-login"
        settings.danbooruAPIKey = "danbooru-SECRET-key"
        settings.gelbooruAPIKey = "gelbooru-SECRET-key"
        settings.gelbooruUserID = "4242"
        settings.contact = "mailto:tests@example.org"
        settings.timeouts = HTTPTimeouts(connect: .seconds(2), total: .seconds(5))
        settings.iqdbTimeouts = HTTPTimeouts(connect: .seconds(2), total: .seconds(5))
        settings.retry = RetryPolicy(maxAttempts: 2, baseDelay: .seconds(1), maxDelay: .seconds(4))
        return settings
    }
}

/// A SauceNAO that enforces its limits the way the real one does (a sliding 30-second window and a daily count),
/// answers 429 with the real HTML bodies when exceeded, and counts those 429s.
public final class RateLimitedSauceNAO: @unchecked Sendable {
    public let shortLimit: Int
    public let longLimit: Int
    private let time: any TimeSource
    private let state = Mutex<(searches: [Date], tooMany: Int)>(([], 0))
    private let results: @Sendable (LoopbackServer.Request) -> String

    public init(shortLimit: Int, longLimit: Int, time: any TimeSource, results: @escaping @Sendable (LoopbackServer.Request) -> String = { _ in "null" }) {
        self.shortLimit = shortLimit
        self.longLimit = longLimit
        self.time = time
        self.results = results
    }

    public var tooManyRequests: Int { state.withLock { $0.tooMany } }
    public var searches: [Date] { state.withLock { $0.searches } }

    public func handle(_ request: LoopbackServer.Request) -> LoopbackServer.Reply {
        let now = time.now
        let verdict: (short: Int, long: Int)? = state.withLock { state in
            let inWindow = state.searches.filter { $0 > now.addingTimeInterval(-30) }.count
            let today = state.searches.filter { $0 > now.addingTimeInterval(-86_400) }.count
            if inWindow >= shortLimit || today >= longLimit {
                state.tooMany += 1
                return nil
            }
            state.searches.append(now)
            return (shortLimit - inWindow - 1, longLimit - today - 1)
        }
        guard let verdict else {
            let daily = state.withLock { $0.searches.filter { $0 > now.addingTimeInterval(-86_400) }.count } >= longLimit
            return .html(daily ? Fixtures.saucenaoDailyLimitHTML : Fixtures.saucenaoShortLimitHTML, status: 429)
        }
        return .json(
            Fixtures.saucenao(
                results: results(request), shortLimit: String(shortLimit), longLimit: String(longLimit),
                shortRemaining: verdict.short, longRemaining: verdict.long))
    }
}

extension LoopbackServer.Request {
    /// The uploaded file's text, for fakes that answer per image.
    public var uploadedText: String {
        formParts.first { $0.name == "file" }.map(\.text) ?? ""
    }
}
