import Foundation
import Testing
@testable import ImageLookup

/// Bodies no real service sends: they must be refused quickly, never hang a lookup.
@Suite struct HostilePageTests {
    /// 63 KB of unclosed `<table>` tags: the lazy table regex took minutes over this (found by fuzzing).
    @Test func unclosedTablesAreUnreadable() {
        let html = String(repeating: "<table>", count: 9_000)
        #expect(throws: IQDBPage.Unreadable.self) { try IQDBPage.parse(html: html, baseURL: "https://iqdb.org") }
    }

    @Test func hugeTableIsSkippedButTheCardsAroundItRead() throws {
        let card = """
            <table><tr><th>Best match</th></tr><tr><td><a href="//danbooru.donmai.us/posts/7"><img></a></td></tr>\
            <tr><td>640×480 [Safe]</td></tr><tr><td>91% similarity</td></tr></table>
            """
        let junk = "<table>" + String(repeating: "<a href=\"x\" ", count: 2_000) + "</table>"
        let page = try IQDBPage.parse(html: junk + card, baseURL: "https://iqdb.org")
        guard case .matches(let matches) = page else { Issue.record("\(page)"); return }
        #expect(matches.map(\.url) == ["https://danbooru.donmai.us/posts/7"])
        #expect(matches.first?.similarity == 91)
    }

    @Test func answerFarLargerThanAPageIsUnreadable() {
        let html = String(repeating: "x", count: IQDBPage.maximumPageBytes + 1)
        let error = #expect(throws: IQDBPage.Unreadable.self) { try IQDBPage.parse(html: html, baseURL: "https://iqdb.org") }
        #expect(error?.excerpt.contains("larger than an IQDB result page") == true)
    }

    @Test func tablesAreSplitInOnePass() {
        #expect(IQDBPage.tables(in: "<table a='1'>x</table> <table>y</table><table>unclosed").map(String.init) == ["x", "y"])
    }
}
