/// Small helpers for the HTML and HTML-escaped strings the services send.
enum HTMLText {
    /// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric entities such as `&#039;` and `&#x27;`.
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacing(/&(#[0-9]+|#[xX][0-9a-fA-F]+|amp|lt|gt|quot|apos);/) { match in
            let entity = match.1
            switch entity {
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos": return "'"
            default:
                let digits = entity.dropFirst()
                let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? String(match.0)
            }
        }
    }

    /// The visible text of an HTML fragment: tags removed, entities decoded, whitespace collapsed.
    static func plainText(_ html: String) -> String {
        let withoutTags = html.replacing(/<[^>]*>/, with: " ")
        return unescape(withoutTags).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
