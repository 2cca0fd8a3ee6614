import Foundation
import LookupFakes
import Testing

@testable import ImageLookup

@Suite("Reading the services' answers, quirks included")
struct ParsingTests {
    private func parse(_ body: String, status: Int = 200) -> SauceNAOAnswer {
        SauceNAOAnswer.parse(status: status, body: Data(body.utf8))
    }

    @Test func saucenaoStringNumbersAndIntOrStringIdsAreRead() throws {
        let body = Fixtures.saucenao(
            results: "[\(Fixtures.saucenaoDanbooruResult(similarity: "94.56", danbooruID: 4_567_890)),\(Fixtures.saucenaoGelbooruResult(similarity: "88.1", gelbooruID: "123"))]",
            userIDAsInt: true)
        guard case .results(let header, let results) = parse(body) else { Issue.record("not results"); return }
        #expect(header.shortLimit == 4 && header.longLimit == 100)
        #expect(header.shortRemaining == 3 && header.longRemaining == 99)
        #expect(header.minimumSimilarity == 45.21)
        #expect(results.count == 2)
        #expect(results[0].similarity == 94.56 && results[0].danbooruID == 4_567_890 && results[0].gelbooruID == 7_654_321)
        #expect(results[1].gelbooruID == 123)
        #expect(results[1].creators == ["artist one", "artist two"])
        #expect(results[0].creators == ["ningen mame"])
    }

    @Test func saucenaoNullResultsAndIndexAsArrayAreNoMatch() {
        let body = Fixtures.saucenao(results: "null", indexAsArray: true)
        guard case .results(_, let results) = parse(body) else { Issue.record("not results"); return }
        #expect(results.isEmpty)
    }

    @Test func saucenaoNegativeRemainingCountsAreKept() {
        guard case .results(let header, _) = parse(Fixtures.saucenao(shortRemaining: -1, longRemaining: -3)) else {
            Issue.record("not results")
            return
        }
        #expect(header.limits == SauceNAOLimits(shortLimit: 4, longLimit: 100, shortRemaining: -1, longRemaining: -3))
    }

    @Test func saucenaoPartialStatusStillGivesResults() {
        let body = Fixtures.saucenao(results: "[\(Fixtures.saucenaoDanbooruResult(similarity: "90", danbooruID: 1))]", status: 1)
        guard case .results(let header, let results) = parse(body) else { Issue.record("not results"); return }
        #expect(header.status == 1 && header.failedIndexCount == 1 && results.count == 1)
    }

    @Test(arguments: [-1, -2, -3])
    func saucenaoNegativeStatusIsARejection(status: Int) {
        guard case .rejected(let header) = parse(Fixtures.saucenaoRejected(status: status)) else { Issue.record("not rejected"); return }
        #expect(header.status == status)
        #expect(header.message?.contains("corrupt") == true)
    }

    @Test func saucenaoHTTPErrorsAreToldApart() {
        #expect(parse(Fixtures.saucenaoShortLimitHTML, status: 429) == .shortLimitReached(message: HTMLTextProbe.plain(Fixtures.saucenaoShortLimitHTML)))
        if case .dailyLimitReached(let message) = parse(Fixtures.saucenaoDailyLimitHTML, status: 429) {
            #expect(message.hasPrefix("Daily Search Limit Exceeded."))
        } else {
            Issue.record("daily 429 not recognised")
        }
        if case .invalidKey = parse(Fixtures.saucenaoInvalidKey, status: 403) {} else { Issue.record("403 not recognised") }
        #expect(parse("<html>413 Request Entity Too Large</html>", status: 413) == .fileTooLarge)
        if case .unexpectedStatus(502, _) = parse("<html>Bad Gateway</html>", status: 502) {} else { Issue.record("502") }
    }

    @Test(arguments: ["", "<html><body>Cloudflare error</body></html>", #"{"header":"#, "[1,2,3]"])
    func saucenaoGarbageIsUnreadable(body: String) {
        if case .unreadable = parse(body) {} else { Issue.record("garbage accepted: \(body)") }
    }

    @Test func saucenaoBestMatchHonoursBothFloorsAndPrefersBooruPosts() {
        let header = SauceNAOHeader(
            status: 0, shortLimit: 4, longLimit: 100, shortRemaining: 3, longRemaining: 99, minimumSimilarity: 60, failedIndexCount: 0)
        let pixiv = SauceNAOResult(similarity: 97, indexID: 5, extURLs: ["https://www.pixiv.net/artworks/1"], creators: [])
        let booru = SauceNAOResult(similarity: 91, indexID: 9, extURLs: [], danbooruID: 77, creators: [])
        let weak = SauceNAOResult(similarity: 55, indexID: 9, extURLs: [], danbooruID: 78, creators: [])
        let best = SauceNAOAnswer.bestMatch(in: [pixiv, booru, weak], header: header, minimumSimilarity: 80)
        #expect(best?.site == .danbooru && best?.postID == 77 && best?.similarity == 91)
        // The service's own floor (60) rejects what our lower setting (50) would take.
        #expect(SauceNAOAnswer.bestMatch(in: [weak], header: header, minimumSimilarity: 50) == nil)
        // Our setting rejects what the service's floor would take.
        #expect(SauceNAOAnswer.bestMatch(in: [booru], header: header, minimumSimilarity: 95) == nil)
        // A result without ext_urls and without a booru id gives nothing to point at.
        let bare = SauceNAOResult(similarity: 99, indexID: 5, extURLs: [], creators: [])
        #expect(SauceNAOAnswer.bestMatch(in: [bare], header: header, minimumSimilarity: 80) == nil)
    }

    @Test func iqdbBestAndAdditionalMatchesAreRead() throws {
        let html = Fixtures.iqdbPage(
            tables: Fixtures.iqdbCard("Best match", href: "//danbooru.donmai.us/posts/12228973", size: "2048×1536", rating: "Safe", similarity: 95)
                + Fixtures.iqdbCard("Additional match", href: "https://yande.re/post/show/1", size: "800×600", rating: "Explicit", similarity: 71)
                + Fixtures.iqdbCard("Additional match", href: "/gelbooru?page=post&amp;s=view&amp;id=5", size: "10x20", rating: "Unrated", similarity: 60))
        guard case .matches(let matches) = try IQDBPage.parse(html: html, baseURL: "https://iqdb.org") else {
            Issue.record("no matches")
            return
        }
        #expect(matches.count == 3)
        #expect(matches[0] == IQDBPage.Match(kind: .best, url: "https://danbooru.donmai.us/posts/12228973", width: 2048, height: 1536, rating: .general, similarity: 95))
        #expect(matches[1].kind == .additional && matches[1].rating == .explicit && matches[1].similarity == 71)
        #expect(matches[2].url == "https://iqdb.org/gelbooru?page=post&s=view&id=5" && matches[2].rating == nil)
        let best = IQDBAPI.bestMatch(in: matches, minimumSimilarity: 80)
        #expect(best?.site == .danbooru && best?.postID == 12_228_973 && best?.rating == .general)
        #expect(IQDBAPI.bestMatch(in: matches, minimumSimilarity: 96) == nil)
    }

    @Test func iqdbNoRelevantMatchesIsNoMatchEvenWithPossibleMatches() throws {
        #expect(try IQDBPage.parse(html: Fixtures.iqdbNoMatch, baseURL: "https://iqdb.org") == .noMatch)
    }

    @Test(arguments: [
        "", "<html><body><div class='err'>Not an image or image format not supported.</div></body></html>", "\u{0}\u{1}garbage",
    ])
    func iqdbPagesWithoutResultsAreUnreadable(html: String) {
        #expect(throws: IQDBPage.Unreadable.self) { try IQDBPage.parse(html: html, baseURL: "https://iqdb.org") }
    }

    @Test func danbooruPostGivesTagsByCategoryAndRating() throws {
        let object = try #require(LooseJSON.parse(Data(Fixtures.danbooruPost(id: 42, withFileURL: false).utf8)) as? [String: Any])
        let post = try #require(DanbooruAPI.post(from: object, endpoint: "https://danbooru.donmai.us"))
        #expect(post.url == "https://danbooru.donmai.us/posts/42")
        #expect(post.tags == BooruTags(general: ["1girl", "long_hair", "smile"], character: ["hu_tao_(genshin_impact)"],
                                       copyright: ["genshin_impact"], artist: ["ningen_mame"], meta: ["highres"]))
        #expect(post.rating == .sensitive)
        #expect(post.fileURL == nil)
        #expect(post.source?.hasPrefix("https://i.pximg.net/") == true)
    }

    @Test func gelbooruEnvelopeWithoutPostKeyIsEmptyAndTagsAreUnescaped() throws {
        #expect(GelbooruAPI.envelope(Data(Fixtures.gelbooruEmpty.utf8), key: "post")?.isEmpty == true)
        #expect(GelbooruAPI.envelope(Data("<html>".utf8), key: "post") == nil)
        let object = try #require(GelbooruAPI.envelope(Data(Fixtures.gelbooruPosts(id: 9).utf8), key: "post")?.first)
        let post = try #require(GelbooruAPI.post(from: object, endpoint: "https://gelbooru.com"))
        #expect(post.tags.general == ["1girl", "artist_one", "original", "tom_&_jerry", "smile", "o_o", ">_<", "d'artagnan"])
        #expect(post.rating == .questionable)
    }

    @Test(arguments: [("g", Rating.general), ("safe", .general), ("s", .sensitive), ("Questionable", .questionable), ("e", .explicit), ("explicit", .explicit)])
    func ratingsFromEveryServiceMapOntoDanbooruScale(value: String, rating: Rating) {
        #expect(Rating(booruValue: value) == rating)
    }

    @Test(arguments: [
        ("https://danbooru.donmai.us/posts/123?q=1", BooruSite.danbooru, 123),
        ("https://gelbooru.com/index.php?page=post&s=view&id=456", .gelbooru, 456),
    ])
    func booruPostLinksAreRecognised(url: String, site: BooruSite, id: Int) {
        let found = LookupMatch.booruPost(in: url)
        #expect(found?.site == site && found?.id == id)
    }

    @Test func nonBooruLinksAreNotPosts() {
        #expect(LookupMatch.booruPost(in: "https://yande.re/post/show/1") == nil)
        #expect(LookupMatch.booruPost(in: "https://gelbooru.com/index.php?page=post&s=list&md5=ab") == nil)
    }
}

/// The plain-text form the parser gives HTML messages.
enum HTMLTextProbe {
    static func plain(_ html: String) -> String { HTMLText.plainText(html) }
}
