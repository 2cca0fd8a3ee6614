/// Refuses config text nested deeper than any real `sluice.yaml` before Yams sees it: Yams composes nodes
/// recursively, so a file nested thousands of levels deep would overflow the stack instead of failing.
enum ConfigNesting {
    /// Flow collections (`[`, `{`) open at once; the real config nests two levels.
    static let maximumFlowDepth = 64
    /// Indentation columns of a block line; the real config indents four.
    static let maximumIndent = 256

    /// Throws a syntax error at the first bracket or line that is nested too deep (quoted text and comments
    /// are skipped, so a `[` inside a string does not count).
    static func check(_ text: String, file: String) throws(ConfigError) {
        var depth = 0
        var line = 1, column = 0
        var lineStart = true, indent = 0
        var quote: UInt8? = nil
        var inComment = false
        for byte in text.utf8 {
            column += 1
            if byte == 0x0A {
                line += 1
                column = 0
                lineStart = true
                indent = 0
                inComment = false
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") { continue }
                continue
            }
            if lineStart {
                if byte == 0x20 || byte == UInt8(ascii: "-") {
                    indent += 1
                    guard indent <= maximumIndent else {
                        throw ConfigError(
                            file: file, line: line, column: column,
                            kind: .syntax("indented more than \(maximumIndent) columns (nested too deep)"))
                    }
                    continue
                }
                lineStart = false
            }
            if inComment { continue }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = byte
            case UInt8(ascii: "#"): inComment = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= maximumFlowDepth else {
                    throw ConfigError(
                        file: file, line: line, column: column,
                        kind: .syntax("nested deeper than \(maximumFlowDepth) levels"))
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(depth - 1, 0)
            default: break
            }
        }
    }
}
