import Foundation

/// IQDB's HTML result page, read into matches.
public enum IQDBPage: Sendable, Equatable {
    /// One result card.
    public struct Match: Sendable, Equatable {
        public enum Kind: String, Sendable { case best, additional }
        public var kind: Kind
        /// Absolute (IQDB often writes protocol-relative links).
        public var url: String
        public var width: Int?
        public var height: Int?
        public var rating: Rating?
        public var similarity: Double
    }

    case matches([Match])
    /// "No relevant matches" (possible matches below it are not trusted).
    case noMatch

    /// A page that is neither results nor "no match" (an error page, garbage, a truncated answer).
    public struct Unreadable: Error, Sendable, Equatable {
        public var excerpt: String
    }

    /// Real result pages are 10–30 KB; anything far larger is not an IQDB answer and is not scanned.
    static let maximumPageBytes = 256 << 10
    /// A result card's table is under 1 KB; a larger one is skipped, so no regex runs over a hostile blob.
    static let maximumTableBytes = 4 << 10

    /// Reads the best and additional match cards; "possible" matches are ignored as IQDB itself does not vouch for them.
    ///
    /// Tables are found by a linear scan and only small ones are matched with regexes: a lazy `<table>(.*?)</table>`
    /// over a garbage body of unclosed tags took minutes (found by fuzzing).
    public static func parse(html: String, baseURL: String) throws(Unreadable) -> IQDBPage {
        guard html.utf8.count <= maximumPageBytes else {
            throw Unreadable(excerpt: "an answer of \(html.utf8.count) bytes, far larger than an IQDB result page")
        }
        var found: [Match] = []
        var sawResultPage = false
        for table in tables(in: html) where table.utf8.count <= maximumTableBytes {
            let content = String(table)
            guard let heading = content.firstMatch(of: /(?s)<th[^>]*>(.*?)<\/th>/).map({ HTMLText.plainText(String($0.1)) })
            else { continue }
            let kind: Match.Kind
            switch heading.lowercased() {
            case "best match": kind = .best
            case "additional match": kind = .additional
            case "your image", "no relevant matches", "possible match":
                sawResultPage = true
                continue
            default: continue
            }
            sawResultPage = true
            guard let href = content.firstMatch(of: /<a[^>]*href=["']([^"']+)["']/).map({ HTMLText.unescape(String($0.1)) }),
                let similarity = content.firstMatch(of: /([0-9]+(?:\.[0-9]+)?)%\s*similarity/).flatMap({ Double($0.1) })
            else { continue }
            let text = HTMLText.plainText(content)
            let size = text.firstMatch(of: /([0-9]+)\s*[×x]\s*([0-9]+)/)
            let rating = text.firstMatch(of: /\[([A-Za-z]+)\]/).flatMap { Rating(booruValue: String($0.1)) }
            found.append(
                Match(
                    kind: kind, url: absolute(href, baseURL: baseURL), width: size.flatMap { Int($0.1) },
                    height: size.flatMap { Int($0.2) }, rating: rating, similarity: similarity))
        }
        if !found.isEmpty { return .matches(found) }
        if html.localizedCaseInsensitiveContains("No relevant matches") { return .noMatch }
        guard sawResultPage else {
            let head = String(html.prefix(4096))
            let excerpt = head.firstMatch(of: /(?s)class=["']err["'][^>]*>(.*?)</).map { HTMLText.plainText(String($0.1)) }
                ?? HTMLText.plainText(String(html.prefix(400)))
            throw Unreadable(excerpt: String(excerpt.prefix(120)))
        }
        return .noMatch
    }

    /// The contents of each `<table …>…</table>`, found in one pass (tables do not nest on IQDB's pages).
    static func tables(in html: String) -> [Substring] {
        var result: [Substring] = []
        var position = html.startIndex
        while let open = html.range(of: "<table", range: position..<html.endIndex),
            let tagEnd = html.range(of: ">", range: open.upperBound..<html.endIndex),
            let close = html.range(of: "</table>", range: tagEnd.upperBound..<html.endIndex)
        {
            result.append(html[tagEnd.upperBound..<close.lowerBound])
            position = close.upperBound
        }
        return result
    }

    private static func absolute(_ href: String, baseURL: String) -> String {
        if href.hasPrefix("//") { return "https:" + href }
        if href.hasPrefix("/") { return baseURL.trimmingSuffix("/") + href }
        return href
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
