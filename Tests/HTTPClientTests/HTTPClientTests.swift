import LoopbackHTTPServer
import Foundation
import HTTPClient
import Synchronization
import Testing

@Suite("HTTPClient over libcurl against a loopback server")
struct HTTPClientTests {
    private static let agent = HTTPClient.userAgent(version: "0.1.0", contact: "mailto:ops@example.org")

    private func client(retry: RetryPolicy = RetryPolicy(), timeouts: HTTPTimeouts = HTTPTimeouts(), time: ManualTime = ManualTime())
        -> HTTPClient
    {
        HTTPClient(
            configuration: .init(userAgent: Self.agent, timeouts: timeouts, retry: retry), time: time, jitter: { 0.5 })
    }

    @Test func getReturnsStatusHeadersAndBodyAndSendsTheUserAgent() async throws {
        let server = try LoopbackServer { request in
            .respond(status: 200, headers: [("X-Echo", request.header("User-Agent") ?? "")], body: Data("hello".utf8))
        }
        defer { server.stop() }
        let response = try await client().send(HTTPRequest(url: server.baseURL + "/ping?x=1"))
        #expect(response.status == 200)
        #expect(response.text == "hello")
        #expect(response.header("x-echo") == "sluice/0.1.0 (+mailto:ops@example.org)")
        #expect(server.requests.first?.target == "/ping?x=1")
    }

    @Test func multipartPostStreamsTheFileAndTextParts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("httpclient-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("image.png")
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.write(to: file)
        let server = try LoopbackServer { _ in .respond(status: 200) }
        defer { server.stop() }

        let request = HTTPRequest.multipart(
            url: server.baseURL + "/upload",
            parts: [.text(name: "service[]", value: "1"), .text(name: "service[]", value: "4"), .file(name: "file", path: file.path)])
        let response = try await client().send(request)
        #expect(response.status == 200)
        let parts = try #require(server.requests.first).formParts
        #expect(parts.map(\.name) == ["service[]", "service[]", "file"])
        #expect(parts[0].text == "1" && parts[1].text == "4")
        #expect(parts[2].filename == "image.png")
        #expect(parts[2].data == bytes)
    }

    @Test func serverErrorsAreRetriedWithGrowingBackoffUntilSuccess() async throws {
        let count = Atomic<Int>(0)
        let server = try LoopbackServer { _ in
            count.add(1, ordering: .relaxed).newValue < 3 ? .respond(status: 503) : .respond(status: 200, body: Data("ok".utf8))
        }
        defer { server.stop() }
        let time = ManualTime()
        let response = try await client(time: time).send(HTTPRequest(url: server.baseURL + "/"))
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        // Base 1 s, jitter 0.5: 0.75 s then 1.5 s.
        #expect(time.sleeps == [.milliseconds(750), .milliseconds(1500)])
    }

    @Test func persistentServerErrorIsReturnedAfterTheLastAttempt() async throws {
        let server = try LoopbackServer { _ in .respond(status: 502, body: Data("bad gateway".utf8)) }
        defer { server.stop() }
        let response = try await client(retry: RetryPolicy(maxAttempts: 3)).send(HTTPRequest(url: server.baseURL + "/"))
        #expect(response.status == 502)
        #expect(response.attempts == 3)
        #expect(server.requestCount == 3)
    }

    @Test func shortTermRateLimitIsRetriedAfterItsRetryAfter() async throws {
        let count = Atomic<Int>(0)
        let server = try LoopbackServer { _ in
            count.add(1, ordering: .relaxed).newValue == 1 ? .respond(status: 429, headers: [("Retry-After", "7")]) : .respond(status: 200)
        }
        defer { server.stop() }
        let time = ManualTime()
        let response = try await client(time: time).send(HTTPRequest(url: server.baseURL + "/"))
        #expect(response.status == 200)
        #expect(time.sleeps == [.seconds(7)])
    }

    @Test func rateLimitTheCallerCallsLongTermIsReturnedWithoutRetry() async throws {
        let server = try LoopbackServer { _ in .html("<strong>Daily Search Limit Exceeded.</strong>", status: 429) }
        defer { server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/", shortTermRateLimitDelay: { _ in nil })
        let response = try await client().send(request)
        #expect(response.status == 429)
        #expect(server.requestCount == 1)
    }

    @Test func refusedConnectionFailsAfterRetriesWithoutLeakingTheKey() async throws {
        let url = "http://127.0.0.1:\(LoopbackServer.unusedPort())/search.php?api_key=SECRETKEY123&output_type=2"
        let time = ManualTime()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client(retry: RetryPolicy(maxAttempts: 2), time: time).send(HTTPRequest(url: url, secrets: ["SECRETKEY123"]))
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.attempts == 2)
        #expect(error.map { !$0.description.contains("SECRETKEY123") } == true)
        #expect(error?.description.contains("api_key=REDACTED") == true)
        #expect(time.sleeps.count == 1)
    }

    @Test func slowAnswerPastTheTotalTimeoutTimesOut() async throws {
        let server = try LoopbackServer { _ in .delayed(seconds: 5, then: .respond(status: 200)) }
        defer { server.stop() }
        let started = Date()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client(retry: .none, timeouts: HTTPTimeouts(connect: .seconds(2), total: .milliseconds(600)))
                .send(HTTPRequest(url: server.baseURL + "/slow"))
        }
        #expect(error?.kind == .timedOut)
        // The server answers at 5 s; a timeout error proves curl gave up first. The bound only catches a hang
        // (generous, since a loaded 2-core machine can keep the test from resuming for seconds).
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func truncatedBodyIsAConnectionFailure() async throws {
        let server = try LoopbackServer { _ in .truncated(status: 200, declaredLength: 1000, body: Data("{\"header\":".utf8)) }
        defer { server.stop() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client(retry: .none).send(HTTPRequest(url: server.baseURL + "/"))
        }
        #expect(error?.kind == .connectionFailed)
    }

    @Test func closedWithoutAnswerIsAConnectionFailure() async throws {
        let server = try LoopbackServer { _ in .close }
        defer { server.stop() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client(retry: .none).send(HTTPRequest(url: server.baseURL + "/"))
        }
        #expect(error?.kind == .connectionFailed)
    }

    @Test func missingUploadFileNamesThePath() async throws {
        let server = try LoopbackServer { _ in .respond(status: 200) }
        defer { server.stop() }
        let path = "/nonexistent/sluice-\(UUID().uuidString).png"
        let error = await #expect(throws: HTTPClientError.self) {
            try await client().send(.multipart(url: server.baseURL + "/", parts: [.file(name: "file", path: path)]))
        }
        #expect(error?.kind == .unreadableFile(path: path))
        #expect(error?.description.contains(path) == true)
        #expect(server.requestCount == 0)
    }

    @Test func cancellingTheTaskAbortsAHangingTransfer() async throws {
        let server = try LoopbackServer { _ in .delayed(seconds: 30, then: .respond(status: 200)) }
        defer { server.stop() }
        let client = client(timeouts: HTTPTimeouts(total: .seconds(60)))
        let task = Task { try await client.send(HTTPRequest(url: server.baseURL + "/hang")) }
        let deadline = Date().addingTimeInterval(30)
        while server.requestCount == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.requestCount == 1)
        let cancelledAt = Date()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // The server would answer only after 30 s: ending well before that means the cancellation aborted it.
        #expect(Date().timeIntervalSince(cancelledAt) < 20)
    }

    @Test(arguments: [
        (1, 0.0, 500), (1, 1.0, 1000), (2, 0.5, 1500), (3, 1.0, 4000), (10, 1.0, 30000), (10, 0.0, 15000),
    ])
    func backoffDoublesPerAttemptWithJitterAndCap(attempt: Int, jitter: Double, milliseconds: Int64) {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(30))
        #expect(policy.delay(afterAttempt: attempt, jitter: jitter) == .milliseconds(milliseconds))
    }

    @Test(arguments: [
        ("https://saucenao.com/search.php?output_type=2&api_key=abc123&numres=5",
         "https://saucenao.com/search.php?output_type=2&api_key=REDACTED&numres=5"),
        ("https://gelbooru.com/index.php?page=dapi&api_key=k9&user_id=42", "https://gelbooru.com/index.php?page=dapi&api_key=REDACTED&user_id=42"),
        ("login failed for mysecretlogin", "login failed for REDACTED"),
        ("https://danbooru.donmai.us/posts.json?md5=abc", "https://danbooru.donmai.us/posts.json?md5=abc"),
    ])
    func redactorRemovesKeysFromText(input: String, expected: String) {
        #expect(SecretRedactor(secrets: ["mysecretlogin"]).redact(input) == expected)
    }

    @Test func userAgentNamesVersionAndContact() {
        #expect(HTTPClient.userAgent(version: "1.2.3", contact: nil) == "sluice/1.2.3")
        #expect(HTTPClient.userAgent(version: "1.2.3", contact: "https://example.org/bot") == "sluice/1.2.3 (+https://example.org/bot)")
    }
}
