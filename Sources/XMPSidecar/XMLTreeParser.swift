/// A strict, non-validating XML parser for XMP packets that builds an `XMLTree`.
///
/// It refuses DTDs (XMP never has one, and DTDs are how entity-expansion and external-entity attacks
/// arrive), decodes the five predefined entities and character references, and reports the line of
/// every error. Nesting is tracked with an explicit stack, so hostile depth cannot overflow the call stack.
struct XMLTreeParser {
    /// Why a document is not well-formed XML, and on which line.
    struct Failure: Error, Equatable {
        let line: Int
        let message: String
    }

    static let maximumDepth = 512

    private let bytes: [UInt8]
    private var position = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses UTF-8 `bytes` (an optional BOM is skipped) into a tree.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> XMLTree {
        var parser = XMLTreeParser(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.position = 3 }
        return try parser.document()
    }

    private mutating func document() throws(Failure) -> XMLTree {
        var prolog: [XMLTree.Node] = []
        var epilog: [XMLTree.Node] = []
        var root: XMLTree.Element?
        var stack: [XMLTree.Element] = []

        func add(_ node: XMLTree.Node) {
            if stack.isEmpty { if root == nil { prolog.append(node) } else { epilog.append(node) } }
            else { stack[stack.count - 1].children.append(node) }
        }

        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") {
                let text = try characterData()
                if stack.isEmpty, !text.allSatisfy(\.isWhitespace) { throw failure("text outside the root element") }
                add(.text(text))
            } else if hasPrefix("<?") {
                add(.processingInstruction(try delimited(from: "<?", to: "?>", what: "processing instruction")))
            } else if hasPrefix("<!--") {
                let comment = try delimited(from: "<!--", to: "-->", what: "comment")
                add(.comment(comment))
            } else if hasPrefix("<![CDATA[") {
                guard !stack.isEmpty else { throw failure("CDATA outside the root element") }
                add(.cdata(try delimited(from: "<![CDATA[", to: "]]>", what: "CDATA section")))
            } else if hasPrefix("<!") {
                throw failure("a DOCTYPE or other declaration is not allowed in an XMP packet")
            } else if hasPrefix("</") {
                position += 2
                let name = try self.name()
                skipWhitespace()
                try expect(">")
                guard let open = stack.popLast() else { throw failure("closing tag </\(name)> without an opening tag") }
                guard open.name == name else { throw failure("closing tag </\(name)> does not match <\(open.name)>") }
                if stack.isEmpty { root = open } else { stack[stack.count - 1].children.append(.element(open)) }
            } else {
                guard root == nil else { throw failure("a second root element") }
                let (element, isClosed) = try startTag()
                if isClosed {
                    if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(.element(element)) }
                } else {
                    guard stack.count < Self.maximumDepth else { throw failure("elements nested deeper than \(Self.maximumDepth)") }
                    stack.append(element)
                }
            }
        }
        if let open = stack.last { throw failure("the file ends inside <\(open.name)>") }
        guard let root else { throw failure("no root element") }
        return XMLTree(prolog: prolog, root: root, epilog: epilog)
    }

    /// `<name attr="value" …>` or `…/>`; returns the element and whether it closed itself.
    private mutating func startTag() throws(Failure) -> (XMLTree.Element, Bool) {
        position += 1
        var element = XMLTree.Element(name: try name())
        while true {
            let spaceStart = position
            let hadSpace = skipWhitespace()
            let spacing = String(decoding: bytes[spaceStart..<position], as: UTF8.self)
            if hasPrefix("/>") {
                position += 2
                element.isSelfClosing = true
                element.closingSpacing = spacing
                return (element, true)
            }
            if hasPrefix(">") {
                position += 1
                element.closingSpacing = spacing
                return (element, false)
            }
            guard hadSpace else { throw failure("expected whitespace, '>' or '/>' in <\(element.name)>") }
            let attributeName = try name()
            skipWhitespace()
            try expect("=")
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")
            else { throw failure("attribute \(attributeName) needs a quoted value") }
            let quote = bytes[position]
            position += 1
            let value = try decoded(until: quote, inAttribute: true)
            position += 1
            guard element.attribute(attributeName) == nil else {
                throw failure("attribute \(attributeName) appears twice in <\(element.name)>")
            }
            element.attributes.append(
                XMLTree.Attribute(
                    name: attributeName, value: value, spacing: spacing, usesSingleQuotes: quote == UInt8(ascii: "'")))
        }
    }

    private mutating func characterData() throws(Failure) -> String {
        try decoded(until: UInt8(ascii: "<"), inAttribute: false)
    }

    /// Decodes text up to (not including) `terminator`, resolving entity and character references.
    private mutating func decoded(until terminator: UInt8, inAttribute: Bool) throws(Failure) -> String {
        // Most runs hold nothing to decode: turn them into a String directly.
        var end = position
        scan: while end < bytes.count {
            switch bytes[end] {
            case terminator, UInt8(ascii: "&"), 0x0D: break scan
            case 0x09, 0x0A, UInt8(ascii: "<"): if inAttribute { break scan } else { end += 1 }
            default: end += 1
            }
        }
        if end < bytes.count, bytes[end] == terminator {
            guard let text = String(validating: bytes[position..<end], as: UTF8.self) else {
                throw failure("text is not valid UTF-8")
            }
            position = end
            return text
        }
        var output: [UInt8] = []
        while true {
            guard position < bytes.count else {
                if inAttribute { throw failure("the file ends inside an attribute value") }
                break
            }
            let byte = bytes[position]
            if byte == terminator { break }
            if inAttribute && byte == UInt8(ascii: "<") { throw failure("'<' inside an attribute value") }
            if byte == UInt8(ascii: "&") {
                output += try reference()
                continue
            }
            if byte == 0x0D {  // CR LF and lone CR both become LF
                position += 1
                if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                output.append(inAttribute ? 0x20 : 0x0A)
                continue
            }
            if inAttribute && (byte == 0x09 || byte == 0x0A) {
                output.append(0x20)  // attribute-value normalization
            } else {
                output.append(byte)
            }
            position += 1
        }
        guard let text = String(validating: output, as: UTF8.self) else { throw failure("text is not valid UTF-8") }
        return text
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;`, `&#xHH;` as UTF-8 bytes.
    private mutating func reference() throws(Failure) -> [UInt8] {
        let start = position + 1
        guard let end = bytes[start...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw failure("'&' must start an entity such as &amp;")
        }
        let body = String(decoding: bytes[start..<end], as: UTF8.self)
        position = end + 1
        switch body {
        case "amp": return [UInt8(ascii: "&")]
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            let scalarValue: UInt32? =
                body.hasPrefix("#x") ? UInt32(body.dropFirst(2), radix: 16)
                : body.hasPrefix("#") ? UInt32(body.dropFirst(), radix: 10) : nil
            guard let scalarValue, let scalar = Unicode.Scalar(scalarValue), XMLEscaping.isAllowed(scalar) else {
                throw failure("unknown or invalid entity &\(body);")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }

    private mutating func name() throws(Failure) -> String {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            let isNameByte =
                byte >= 0x80 || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
            guard isNameByte else { break }
            position += 1
        }
        guard position > start else { throw failure("a name was expected") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// The text between `open` and `close`, leaving the position after `close`.
    private mutating func delimited(from open: String, to close: String, what: String) throws(Failure) -> String {
        let closeBytes = Array(close.utf8)
        let start = position + open.utf8.count
        var index = start
        while index + closeBytes.count <= bytes.count {
            if bytes[index] == closeBytes[0], bytes[index..<(index + closeBytes.count)].elementsEqual(closeBytes) {
                position = index + closeBytes.count
                guard let text = String(validating: bytes[start..<index], as: UTF8.self) else {
                    throw failure("\(what) is not valid UTF-8")
                }
                return text
            }
            index += 1
        }
        throw failure("unterminated \(what)")
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return position > start
            }
        }
        return position > start
    }

    private func hasPrefix(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return text.withUTF8Buffer { prefix in bytes[position..<(position + count)].elementsEqual(prefix) }
    }

    private mutating func expect(_ text: StaticString) throws(Failure) {
        guard hasPrefix(text) else { throw failure("expected '\(text)'") }
        position += text.utf8CodeUnitCount
    }

    /// A failure at the current position, with its 1-based line number.
    private func failure(_ message: String) -> Failure {
        let end = min(position, bytes.count)
        return Failure(line: 1 + bytes[..<end].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }, message: message)
    }
}
