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

    /// Reads the best and additional match cards; "possible" matches are ignored as IQDB itself does not vouch for them.
    public static func parse(html: String, baseURL: String) throws(Unreadable) -> IQDBPage {
        var found: [Match] = []
        var sawResultPage = false
        for table in html.matches(of: /(?s)<table[^>]*>(.*?)<\/table>/) {
            let content = String(table.1)
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
            let excerpt = html.firstMatch(of: /(?s)class=["']err["'][^>]*>(.*?)</).map { HTMLText.plainText(String($0.1)) }
                ?? HTMLText.plainText(String(html.prefix(400)))
            throw Unreadable(excerpt: String(excerpt.prefix(120)))
        }
        return .noMatch
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
