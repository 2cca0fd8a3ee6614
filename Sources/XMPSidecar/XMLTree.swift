/// An XML document as an ordered tree, so a rewrite changes only what Sluice touched and keeps everything else.
///
/// Names stay qualified as written (`dc:subject`); namespace lookups go through `NamespaceScope`.
struct XMLTree: Equatable, Sendable {
    /// One node in document order.
    enum Node: Equatable, Sendable {
        case element(Element)
        /// Character data, entity references already decoded.
        case text(String)
        case comment(String)
        /// The content between `<?` and `?>`, such as `xpacket begin='…'`.
        case processingInstruction(String)
        case cdata(String)
    }

    /// One attribute, in the order and layout it was written.
    struct Attribute: Equatable, Sendable {
        var name: String
        var value: String
        /// The whitespace before the name (darktable and Exiv2 put each attribute on its own line).
        var spacing: String = " "
        var usesSingleQuotes: Bool = false
    }

    /// An element with its attributes and children.
    struct Element: Equatable, Sendable {
        var name: String
        var attributes: [Attribute]
        var children: [Node]
        /// Whether an element without children is written `<a/>` rather than `<a></a>`.
        var isSelfClosing: Bool
        /// The whitespace between the last attribute and `>` or `/>`.
        var closingSpacing: String = ""

        init(name: String, attributes: [Attribute] = [], children: [Node] = [], isSelfClosing: Bool = false) {
            self.name = name
            self.attributes = attributes
            self.children = children
            self.isSelfClosing = isSelfClosing
        }

        var prefix: String? {
            guard let colon = name.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            return String(name[..<colon])
        }

        var localName: String {
            guard let colon = name.utf8.firstIndex(of: UInt8(ascii: ":")) else { return name }
            return String(name[name.utf8.index(after: colon)...])
        }

        func attribute(_ name: String) -> String? {
            attributes.first(where: { $0.name == name })?.value
        }

        /// Sets an attribute in place, or appends it laid out like the last attribute.
        mutating func setAttribute(_ name: String, _ value: String) {
            if let index = attributes.firstIndex(where: { $0.name == name }) {
                attributes[index].value = value
            } else {
                let layout = attributes.last ?? Attribute(name: name, value: value)
                attributes.append(
                    Attribute(name: name, value: value, spacing: layout.spacing, usesSingleQuotes: layout.usesSingleQuotes))
            }
        }

        /// The concatenated text and CDATA directly inside this element.
        var text: String {
            children.reduce(into: "") { result, node in
                switch node {
                case .text(let text), .cdata(let text): result += text
                default: break
                }
            }
        }

        /// The indices of the child elements, in order.
        var elementIndices: [Int] {
            children.indices.filter { if case .element = children[$0] { true } else { false } }
        }

        /// The whitespace that indents the child at `index`: the spaces after the last newline before it.
        func indentation(beforeChildAt index: Int) -> String? {
            guard index > 0, case .text(let text) = children[index - 1], text.allSatisfy(\.isWhitespace),
                let newline = text.lastIndex(of: "\n")
            else { return nil }
            return String(text[text.index(after: newline)...])
        }

        /// Appends `element` as the last child element, laid out like its siblings.
        ///
        /// Pretty-printed parents get a newline and `indent` before it and keep their closing indentation;
        /// compact parents (children with no whitespace between them) stay compact.
        mutating func appendChild(_ element: Element, indent: String, closingIndent: String) {
            isSelfClosing = false
            let hasWhitespaceLayout = children.isEmpty || children.contains { node in
                if case .text(let text) = node { text.contains("\n") } else { false }
            }
            guard hasWhitespaceLayout else {
                children.append(.element(element))
                return
            }
            if case .text(let trailing)? = children.last, trailing.allSatisfy(\.isWhitespace) {
                children.insert(contentsOf: [.text("\n" + indent), .element(element)], at: children.count - 1)
            } else {
                children.append(contentsOf: [.text("\n" + indent), .element(element), .text("\n" + closingIndent)])
            }
        }
    }

    /// Comments, processing instructions and whitespace before the root element.
    var prolog: [Node]
    var root: Element
    /// Whatever follows the root element (usually `<?xpacket end='w'?>`).
    var epilog: [Node]
}
