extension XMLTree {
    /// The document as UTF-8 bytes; serializing the same tree always gives the same bytes.
    func serialized() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        for node in prolog { Self.append(node, to: &output) }
        Self.append(.element(root), to: &output)
        for node in epilog { Self.append(node, to: &output) }
        return output
    }

    private static func append(_ node: Node, to output: inout [UInt8]) {
        switch node {
        case .text(let text):
            XMLEscaping.appendText(XMLEscaping.removingDisallowed(text), to: &output)
        case .comment(let comment):
            output.append(contentsOf: "<!--\(comment)-->".utf8)
        case .processingInstruction(let content):
            output.append(contentsOf: "<?\(content)?>".utf8)
        case .cdata(let content):
            output.append(contentsOf: "<![CDATA[\(content)]]>".utf8)
        case .element(let element):
            output.append(UInt8(ascii: "<"))
            output.append(contentsOf: element.name.utf8)
            for attribute in element.attributes {
                let quote = attribute.usesSingleQuotes ? UInt8(ascii: "'") : UInt8(ascii: "\"")
                output.append(contentsOf: attribute.spacing.utf8)
                output.append(contentsOf: attribute.name.utf8)
                output += [UInt8(ascii: "="), quote]
                XMLEscaping.appendAttribute(XMLEscaping.removingDisallowed(attribute.value), quote: quote, to: &output)
                output.append(quote)
            }
            output.append(contentsOf: element.closingSpacing.utf8)
            if element.children.isEmpty && element.isSelfClosing {
                output.append(contentsOf: "/>".utf8)
                return
            }
            output.append(UInt8(ascii: ">"))
            for child in element.children { append(child, to: &output) }
            output.append(contentsOf: "</".utf8)
            output.append(contentsOf: element.name.utf8)
            output.append(UInt8(ascii: ">"))
        }
    }
}
