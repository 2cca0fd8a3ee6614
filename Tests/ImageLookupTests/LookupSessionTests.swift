import LoopbackHTTPServer
import Foundation
import LookupFakes
import HTTPClient
import ImageLookup
import Synchronization
import Testing

@Suite("LookupSession against loopback fakes of Danbooru, SauceNAO, IQDB and Gelbooru")
struct LookupSessionTests {
    private static let danbooruMatch = { @Sendable (_: LoopbackServer.Request) -> LoopbackServer.Reply in
        .json(Fixtures.saucenao(results: "[\(Fixtures.saucenaoDanbooruResult(similarity: "94.56", danbooruID: 4_567_890))]"))
    }

    @Test func md5HitAnswersWithoutSpendingSearchQuota() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        let image = try workspace.image("exact")
        let md5 = try workspace.md5(of: image)
        fakes.on(.danbooru) { request in
            request.query["md5"] == md5 ? .json(Fixtures.danbooruPost(id: 42, md5: md5, withFileURL: false)) : .json(Fixtures.danbooruNotFound, status: 404)
        }
        let session = try workspace.session(fakes.settings(), time: ManualTime())
        let outcome = await session.lookUp(imageAt: image)
        let result = try #require(outcome.result)
        #expect(result.origin == .md5 && !result.fromCache)
        #expect(result.match?.similarity == 100)
        #expect(result.post?.id == 42 && result.post?.fileURL == nil)
        #expect(result.tags.character == ["hu_tao_(genshin_impact)"] && result.rating == .sensitive)
        #expect(fakes.requests(to: .saucenao).isEmpty && fakes.requests(to: .iqdb).isEmpty)
        #expect(outcome.failures.isEmpty)
        // Basic auth and an honest User-Agent went with the request.
        let sent = try #require(fakes.requests(to: .danbooru).first)
        #expect(sent.header("Authorization") == "Basic " + Data("danbooru-SECRET-login:danbooru-SECRET-key".utf8).base64EncodedString())
        #expect(sent.header("User-Agent") == "sluice/0.1.0 (+mailto:tests@example.org)")
    }

    @Test func saucenaoMatchLeadsToDanbooruTagsAndARerunMakesNoRequest() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.saucenao, Self.danbooruMatch)
        fakes.on(.danbooru) { request in
            request.path.hasSuffix("/posts/4567890.json") ? .json(Fixtures.danbooruPost(id: 4_567_890)) : .json(Fixtures.danbooruNotFound, status: 404)
        }
        let image = try workspace.image("sauce")
        let first = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: image)
        #expect(first.result?.origin == .saucenao)
        #expect(first.result?.match?.similarity == 94.56)
        #expect(first.result?.tags.artist == ["ningen_mame"])
        #expect(first.failures.isEmpty)
        let upload = try #require(fakes.requests(to: .saucenao).first)
        #expect(upload.query["output_type"] == "2" && upload.query["numres"] == "8" && upload.query["dbmask"] == "33559072")
        #expect(upload.formParts.first?.name == "file")
        // Without a mask every index is searched.
        var allIndexes = fakes.settings()
        allIndexes.saucenaoDBMask = nil
        _ = try await workspace.session(allIndexes, time: ManualTime()).lookUp(imageAt: try workspace.image("all-indexes"))
        #expect(fakes.requests(to: .saucenao).last?.query["db"] == "999")

        let before = fakes.requestCount
        // A new session on the same database, as after a restart.
        let second = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: image)
        #expect(fakes.requestCount == before)
        #expect(second.result?.fromCache == true)
        #expect(second.result?.match == first.result?.match && second.result?.post == first.result?.post)

        // Without the cache it searches again.
        _ = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: image, useCache: false)
        #expect(fakes.requests(to: .saucenao).count == 3)
    }

    @Test func nullResultsFallBackToIQDBAndGelbooruTagsByCategory() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.iqdb) { _ in
            .html(Fixtures.iqdbPage(tables: Fixtures.iqdbCard(
                "Best match", href: "//gelbooru.com/index.php?page=post&amp;s=view&amp;id=9", size: "2048×1536", rating: "Ero", similarity: 93)))
        }
        fakes.on(.gelbooru) { request in
            request.query["api_key"] == "gelbooru-SECRET-key" && request.query["user_id"] == "4242"
                ? .json(request.query["s"] == "tag" ? Fixtures.gelbooruTags : Fixtures.gelbooruPosts(id: 9))
                : .json(#"{"success":false,"message":"unauthorized"}"#, status: 401)
        }
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: try workspace.image("iqdb"))
        let result = try #require(outcome.result)
        #expect(result.origin == .iqdb)
        #expect(result.match?.postURL == "https://gelbooru.com/index.php?page=post&s=view&id=9")
        #expect(result.post?.site == .gelbooru)
        #expect(result.tags.artist == ["artist_one"] && result.tags.copyright == ["original", "tom_&_jerry"])
        #expect(result.tags.character == ["d'artagnan"] && result.tags.general == ["1girl", "smile", "o_o", ">_<"])
        #expect(result.rating == .questionable)
        #expect(outcome.failures.isEmpty)
        let iqdbForm = try #require(fakes.requests(to: .iqdb).first).formParts
        #expect(iqdbForm.filter { $0.name == "service[]" }.map(\.text) == ["1", "2", "3", "4"])
    }

    @Test func nothingFoundAnywhereIsAConclusiveCachedNoMatch() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        let image = try workspace.image("unknown")
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: image)
        #expect(outcome.result?.isMatch == false && outcome.result?.origin == LookupResult.Origin.none)
        #expect(outcome.isConclusive)
        let before = fakes.requestCount
        let again = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: image)
        #expect(fakes.requestCount == before && again.result?.fromCache == true)
    }

    @Test func noMatchExpiresBeforeAMatchDoes() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        let time = ManualTime()
        let image = try workspace.image("ttl")
        let session = try workspace.session(fakes.settings(), time: time)
        _ = await session.lookUp(imageAt: image)
        let searches = fakes.requests(to: .saucenao).count
        time.advance(by: 13 * 3600)
        _ = await session.lookUp(imageAt: image)
        #expect(fakes.requests(to: .saucenao).count == searches + 1)
    }

    @Test(arguments: [-1, -3])
    func rejectedImageIsSkippedWithoutRetryAndIQDBStillRuns(status: Int) async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.saucenao) { _ in .json(Fixtures.saucenaoRejected(status: status)) }
        fakes.on(.iqdb) { _ in
            .html(Fixtures.iqdbPage(tables: Fixtures.iqdbCard("Best match", href: "https://yande.re/post/show/77", size: "800×600", rating: "Safe", similarity: 90)))
        }
        let image = try workspace.image("corrupt")
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: image)
        #expect(outcome.result?.origin == .iqdb && outcome.result?.match?.postURL == "https://yande.re/post/show/77")
        #expect(outcome.result?.post == nil)
        let failure = try #require(outcome.failures.first)
        #expect(failure.service == .saucenao && !failure.isTransient && failure.message.contains("status \(status)"))
        #expect(fakes.requests(to: .saucenao).count == 1)
        // No fast retry on a rerun either.
        _ = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: image)
        #expect(fakes.requests(to: .saucenao).count == 1)
    }

    @Test func dailyLimitStopsSauceNAOAndTheStopSurvivesARestart() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.saucenao) { _ in .html(Fixtures.saucenaoDailyLimitHTML, status: 429) }
        let time = ManualTime()
        let outcomes = try await workspace.session(fakes.settings(), time: time).lookUp(images: [try workspace.image("a"), try workspace.image("b")])
        #expect(fakes.requests(to: .saucenao).count == 1)
        for outcome in outcomes {
            let failure = try #require(outcome.failures.first { $0.service == .saucenao })
            #expect(failure.message.contains("daily search limit reached") && failure.isTransient)
            #expect(outcome.result != nil)  // IQDB still answered.
        }
        let restarted = try await workspace.session(fakes.settings(), time: time).lookUp(imageAt: try workspace.image("c"))
        #expect(fakes.requests(to: .saucenao).count == 1)
        #expect(restarted.failures.contains { $0.message.contains("daily search limit reached") })
    }

    @Test func shortLimitIsWaitedOutThenRetried() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        let calls = CallCounter()
        fakes.on(.saucenao) { request in
            calls.next() == 1 ? .html(Fixtures.saucenaoShortLimitHTML, status: 429) : Self.danbooruMatch(request)
        }
        fakes.on(.danbooru) { request in
            request.path.contains("/posts/") ? .json(Fixtures.danbooruPost(id: 4_567_890)) : .json(Fixtures.danbooruNotFound, status: 404)
        }
        let time = ManualTime()
        let outcome = try await workspace.session(fakes.settings(), time: time).lookUp(imageAt: try workspace.image("busy"))
        #expect(outcome.result?.origin == .saucenao && outcome.failures.isEmpty)
        #expect(time.sleeps.contains { $0 >= .seconds(30) })
    }

    @Test func invalidKeyStopsSauceNAOForTheRun() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.saucenao) { _ in .json(Fixtures.saucenaoInvalidKey, status: 403) }
        let outcomes = try await workspace.session(fakes.settings(), time: ManualTime())
            .lookUp(images: [try workspace.image("a"), try workspace.image("b")])
        #expect(fakes.requests(to: .saucenao).count == 1)
        #expect(outcomes.allSatisfy { $0.failures.contains { $0.service == .saucenao && $0.message.contains("403") } })
    }

    @Test func missingKeySkipsSauceNAOAndSaysHowToSetIt() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        var settings = fakes.settings()
        settings.saucenaoAPIKey = nil
        let outcome = try await workspace.session(settings, time: ManualTime()).lookUp(imageAt: try workspace.image("nokey"))
        #expect(fakes.requests(to: .saucenao).isEmpty)
        #expect(outcome.notes.contains { $0.contains("SLUICE_SAUCENAO_API_KEY") })
    }

    @Test func tooLargeFileIsAPermanentSauceNAOFailure() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.saucenao) { _ in .html("<html><head><title>413 Request Entity Too Large</title></head></html>", status: 413) }
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: try workspace.image("big"))
        #expect(outcome.failures.contains { $0.service == .saucenao && $0.message.contains("413") && !$0.isTransient })
        #expect(outcome.result?.isMatch == false)
    }

    @Test func danbooruUnauthorizedIsRecordedAndTheChainGoesOn() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.danbooru) { _ in .json(Fixtures.danbooruUnauthorized, status: 401) }
        fakes.on(.saucenao, Self.danbooruMatch)
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: try workspace.image("auth"))
        // SauceNAO's match stands; the tags could not be read.
        #expect(outcome.result?.origin == .saucenao && outcome.result?.post == nil)
        #expect(outcome.failures.count == 2)
        #expect(outcome.failures.allSatisfy { $0.service == .danbooru && $0.message.contains("SLUICE_DANBOORU_API_KEY") })
    }

    @Test func deletedDanbooruPostKeepsTheMatchWithoutTags() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.saucenao, Self.danbooruMatch)
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: try workspace.image("deleted"))
        #expect(outcome.result?.match?.postID == 4_567_890 && outcome.result?.post == nil)
        #expect(outcome.failures.contains { $0.service == .danbooru && $0.message.contains("not found (404)") })
    }

    @Test func emptyGelbooruEnvelopeIsAFailureForThatPost() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.saucenao) { _ in .json(Fixtures.saucenao(results: "[\(Fixtures.saucenaoGelbooruResult(similarity: "92.3", gelbooruID: "555"))]")) }
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: try workspace.image("gel"))
        #expect(outcome.result?.match?.site == .gelbooru && outcome.result?.post == nil)
        #expect(outcome.failures.contains { $0.service == .gelbooru && $0.message.contains("post 555 not found") })
    }

    @Test func gelbooruTagsStayUncategorizedWhenTheTagEndpointFails() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.saucenao) { _ in .json(Fixtures.saucenao(results: "[\(Fixtures.saucenaoGelbooruResult(similarity: "92.3", gelbooruID: "9"))]")) }
        fakes.on(.gelbooru) { request in
            request.query["s"] == "tag" ? .respond(status: 502, body: Data("<html>Bad Gateway</html>".utf8)) : .json(Fixtures.gelbooruPosts(id: 9))
        }
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: try workspace.image("gelcat"))
        #expect(outcome.result?.post?.tags.general.count == 8 && outcome.result?.post?.tags.artist.isEmpty == true)
        #expect(outcome.failures.contains { $0.service == .gelbooru && $0.message.contains("HTTP 502") && $0.isTransient })
    }

    @Test func saucenaoServerErrorIsRetriedThenReportedAsTransient() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.saucenao) { _ in .html("<html><body>503 Service Unavailable</body></html>", status: 503) }
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: try workspace.image("down"))
        #expect(fakes.requests(to: .saucenao).count == 2)
        #expect(outcome.failures.contains { $0.service == .saucenao && $0.message.contains("HTTP 503") && $0.isTransient })
        #expect(outcome.result?.isMatch == false && !outcome.isConclusive)
    }

    @Test func slowServicePastItsTimeoutIsAPerImageErrorAndTheRunGoesOn() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.iqdb) { request in
            request.uploadedText.contains("slow") ? .delayed(seconds: 5, then: .html(Fixtures.iqdbNoMatch)) : .html(Fixtures.iqdbNoMatch)
        }
        var settings = fakes.settings()
        settings.iqdbTimeouts = HTTPTimeouts(connect: .seconds(1), total: .milliseconds(400))
        settings.retry = .none
        let outcomes = try await workspace.session(settings, time: ManualTime())
            .lookUp(images: [try workspace.image("slow"), try workspace.image("fast")])
        #expect(outcomes[0].failures.contains { $0.service == .iqdb && $0.message.contains("timed out") && $0.isTransient })
        #expect(!outcomes[0].isConclusive)
        #expect(outcomes[1].isConclusive && outcomes[1].failures.isEmpty)
    }

    @Test func refusedConnectionsAreErrorsThatNameNoSecret() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        var settings = fakes.settings()
        let dead = "http://127.0.0.1:\(LoopbackServer.unusedPort())"
        settings.danbooruEndpoint = dead
        settings.saucenaoEndpoint = dead
        settings.iqdbEndpoint = dead
        let outcome = try await workspace.session(settings, time: ManualTime()).lookUp(imageAt: try workspace.image("offline"))
        #expect(outcome.result == nil)
        #expect(Set(outcome.failures.map(\.service)) == [.danbooru, .saucenao, .iqdb])
        #expect(outcome.failures.allSatisfy { $0.message.contains("connection failed") && $0.isTransient })
        let encoded = String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self)
        for secret in settings.secrets { #expect(!encoded.contains(secret)) }
        #expect(encoded.contains("api_key=REDACTED"))
    }

    @Test func unreachableServicesAreSetAsideSoAnOfflineBatchFailsFast() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        var settings = fakes.settings()
        settings.saucenaoEndpoint = "http://127.0.0.1:\(LoopbackServer.unusedPort())"
        let time = ManualTime()
        let images = try (0..<4).map { try workspace.image("offline-\($0)") }
        let outcomes = try await workspace.session(settings, time: time).lookUp(images: images)
        // Two images find SauceNAO unreachable; the next two do not wait for it.
        #expect(outcomes[0...1].allSatisfy { $0.failures.contains { $0.service == .saucenao && $0.message.contains("connection failed") } })
        #expect(outcomes[2...3].allSatisfy { $0.failures.contains { $0.service == .saucenao && $0.message.contains("not asked") } })
        #expect(time.sleeps.count == 2)  // one backoff for each of the first two images, none for the set-aside ones
        // The other services kept answering.
        #expect(outcomes.allSatisfy { $0.result?.isMatch == false })
        #expect(fakes.requests(to: .iqdb).count == 4)
    }

    @Test func truncatedAndGarbageAnswersArePerImageErrors() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.danbooru) { _ in .respond(status: 200, headers: [("Content-Type", "application/json")], body: Data("<<<not json>>>".utf8)) }
        fakes.on(.saucenao) { _ in .truncated(status: 200, declaredLength: 4000, body: Data(#"{"header":{"user_id":"1","#.utf8)) }
        fakes.on(.iqdb) { _ in .respond(status: 200, body: Data([0xFF, 0xFE, 0x00, 0x13])) }
        let outcome = try await workspace.session(fakes.settings(), time: ManualTime()).lookUp(imageAt: try workspace.image("broken"))
        #expect(outcome.result == nil)
        #expect(outcome.failures.contains { $0.service == .danbooru && $0.message.contains("not Danbooru's post JSON") })
        #expect(outcome.failures.contains { $0.service == .saucenao && $0.message.contains("connection failed") })
        #expect(outcome.failures.contains { $0.service == .iqdb && $0.message.contains("not a result page") })
    }

    @Test func unreadableFileIsItsOwnFailureAndOthersContinue() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        let missing = workspace.directory.appendingPathComponent("missing.png").path
        let outcomes = try await workspace.session(fakes.settings(), time: ManualTime())
            .lookUp(images: [missing, try workspace.image("present")])
        #expect(outcomes[0].failures.first?.service == .file && outcomes[0].failures.first?.message.contains("cannot be read") == true)
        #expect(outcomes[1].isConclusive)
    }

    @Test func cancellationAbortsTheTransferInFlightAndReportsTheRest() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        fakes.on(.iqdb) { _ in .delayed(seconds: 30, then: .html(Fixtures.iqdbNoMatch)) }
        let session = try workspace.session(fakes.settings(), time: ManualTime())
        let images = try [workspace.image("hang"), workspace.image("never")]
        let task = Task { await session.lookUp(images: images) }
        let deadline = Date().addingTimeInterval(30)
        while fakes.requests(to: .iqdb).isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let cancelledAt = Date()
        task.cancel()
        let outcomes = await task.value
        // IQDB would answer only after 30 s: ending well before that means the transfer was aborted.
        #expect(Date().timeIntervalSince(cancelledAt) < 20)
        #expect(outcomes.count == 2)
        #expect(outcomes[0].failures.contains { $0.message == "cancelled" })
        #expect(outcomes[1].failures.first?.message == "not looked up: cancelled")
    }

    @Test func pacingToAnEnforcingFakeProvokesNo429() async throws {
        let workspace = try LookupWorkspace()
        let fakes = try FakeServices()
        let time = ManualTime()
        let saucenao = RateLimitedSauceNAO(shortLimit: 4, longLimit: 100, time: time)
        fakes.on(.saucenao) { saucenao.handle($0) }
        let images = try (0..<10).map { try workspace.image("paced-\($0)") }
        let started = time.now
        let outcomes = try await workspace.session(fakes.settings(), time: time).lookUp(images: images)
        #expect(saucenao.tooManyRequests == 0)
        #expect(saucenao.searches.count == 10)
        #expect(outcomes.allSatisfy { $0.failures.isEmpty })
        // Ten searches at four per 30 s: two full windows, plus the pacing margin.
        let elapsed = time.now.timeIntervalSince(started)
        #expect(elapsed >= 60 && elapsed < 63)
    }
}

/// Counts calls from the fake server's threads.
final class CallCounter: Sendable {
    private let count = Mutex(0)
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
}
