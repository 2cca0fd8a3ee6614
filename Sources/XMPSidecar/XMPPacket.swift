/// An XMP packet: an `XMLTree` plus the RDF-level reads and edits Sluice needs, leaving all other nodes alone.
struct XMPPacket: Equatable, Sendable {
    /// Why bytes are not an XMP packet.
    enum Failure: Error, Equatable {
        case notXML(line: Int, message: String)
        case noRDF
    }

    private(set) var tree: XMLTree
    /// Child indices from the root element down to `rdf:RDF` (empty when the root is `rdf:RDF`).
    private let rdfPath: [Int]
    /// Namespaces in scope at `rdf:RDF`; edits only touch descriptions and below, so this never changes.
    private let rdfScope: NamespaceScope

    /// Parses a packet; it must be well-formed XML containing an `rdf:RDF` element.
    init(parsing bytes: [UInt8]) throws(Failure) {
        let tree: XMLTree
        do {
            tree = try XMLTreeParser.parse(bytes)
        } catch {
            throw .notXML(line: error.line, message: error.message)
        }
        guard let path = Self.findRDF(in: tree.root, scope: NamespaceScope()) else { throw .noRDF }
        self.init(tree: tree, rdfPath: path)
    }

    /// A new, empty packet in the layout exiftool and digiKam write.
    static func empty(toolkit: String) -> XMPPacket {
        var description = XMLTree.Element(name: "rdf:Description", isSelfClosing: true)
        description.setAttribute("rdf:about", "")
        let rdf = XMLTree.Element(
            name: "rdf:RDF", attributes: [.init(name: "xmlns:rdf", value: XMPProperty.rdfNamespace)],
            children: [.text("\n  "), .element(description), .text("\n ")])
        let meta = XMLTree.Element(
            name: "x:xmpmeta",
            attributes: [.init(name: "xmlns:x", value: "adobe:ns:meta/"), .init(name: "x:xmptk", value: toolkit)],
            children: [.text("\n "), .element(rdf), .text("\n")])
        let tree = XMLTree(
            prolog: [.processingInstruction("xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\""), .text("\n")],
            root: meta,
            epilog: [.text("\n"), .processingInstruction("xpacket end=\"w\""), .text("\n")])
        return XMPPacket(tree: tree, rdfPath: [1])
    }

    private init(tree: XMLTree, rdfPath: [Int]) {
        self.tree = tree
        self.rdfPath = rdfPath
        var scope = NamespaceScope().extended(by: tree.root)
        var element = tree.root
        for index in rdfPath {
            guard case .element(let child) = element.children[index] else { break }
            element = child
            scope = scope.extended(by: child)
        }
        self.rdfScope = scope
    }

    static func == (left: XMPPacket, right: XMPPacket) -> Bool {
        left.tree == right.tree
    }

    private static func findRDF(in element: XMLTree.Element, scope outer: NamespaceScope) -> [Int]? {
        let scope = outer.extended(by: element)
        if scope.matches(element.name, namespace: XMPProperty.rdfNamespace, local: "RDF") { return [] }
        for index in element.elementIndices {
            guard case .element(let child) = element.children[index] else { continue }
            if let path = findRDF(in: child, scope: scope) { return [index] + path }
        }
        return nil
    }

    // MARK: Navigation

    private var rdf: XMLTree.Element { Self.element(at: rdfPath, in: tree.root) }

    private static func element(at path: [Int], in root: XMLTree.Element) -> XMLTree.Element {
        var element = root
        for index in path {
            guard case .element(let child) = element.children[index] else { preconditionFailure("path leaves the tree") }
            element = child
        }
        return element
    }

    private static func modify(_ element: inout XMLTree.Element, at path: ArraySlice<Int>, _ body: (inout XMLTree.Element) -> Void) {
        guard let index = path.first else { return body(&element) }
        guard case .element(var child) = element.children[index] else { preconditionFailure("path leaves the tree") }
        modify(&child, at: path.dropFirst(), body)
        element.children[index] = .element(child)
    }

    private mutating func modifyRDF(_ body: (inout XMLTree.Element) -> Void) {
        Self.modify(&tree.root, at: rdfPath[...], body)
    }

    /// Indices (in `rdf:RDF`) of the `rdf:Description` elements.
    private var descriptionIndices: [Int] {
        let rdf = self.rdf, scope = rdfScope
        return rdf.elementIndices.filter { index in
            guard case .element(let child) = rdf.children[index] else { return false }
            return scope.matches(child.name, namespace: XMPProperty.rdfNamespace, local: "Description")
        }
    }

    private func description(at index: Int) -> XMLTree.Element {
        guard case .element(let element) = rdf.children[index] else { preconditionFailure("not an element") }
        return element
    }

    /// Where a property is written: as a child element or as an attribute of one description.
    private enum Location {
        case element(description: Int, child: Int)
        case attribute(description: Int, name: String)
    }

    private func locate(_ property: XMPProperty) -> Location? {
        for index in descriptionIndices {
            let description = self.description(at: index)
            let scope = rdfScope.extended(by: description)
            if let attribute = description.attributes.first(where: { attribute in
                property.acceptedNamespaces.contains {
                    scope.matches(attribute.name, namespace: $0, local: property.name, isAttribute: true)
                }
            }) {
                return .attribute(description: index, name: attribute.name)
            }
            for child in description.elementIndices {
                guard case .element(let element) = description.children[child] else { continue }
                let elementScope = scope.extended(by: element)
                if property.acceptedNamespaces.contains(where: {
                    elementScope.matches(element.name, namespace: $0, local: property.name)
                }) {
                    return .element(description: index, child: child)
                }
            }
        }
        return nil
    }

    // MARK: Reading

    /// The items of an array property (Bag, Seq or Alt); a simple value reads as one item.
    func items(of property: XMPProperty) -> [String] {
        switch locate(property) {
        case nil: return []
        case .attribute(let index, let name): return [description(at: index).attribute(name) ?? ""]
        case .element(let index, let child):
            let description = self.description(at: index)
            guard case .element(let element) = description.children[child] else { return [] }
            let scope = rdfScope.extended(by: description).extended(by: element)
            guard let (container, containerScope) = Self.container(in: element, scope: scope) else {
                let text = element.text
                return text.allSatisfy(\.isWhitespace) ? [] : [text]
            }
            return Self.listItems(in: container, scope: containerScope).map(\.text)
        }
    }

    /// A simple property's value, or the `x-default` (else first) entry of a language alternative.
    func value(of property: XMPProperty) -> String? {
        switch locate(property) {
        case nil: return nil
        case .attribute(let index, let name): return description(at: index).attribute(name)
        case .element(let index, let child):
            let description = self.description(at: index)
            guard case .element(let element) = description.children[child] else { return nil }
            let scope = rdfScope.extended(by: description).extended(by: element)
            if let rdfValue = element.attributes.first(where: {
                scope.matches($0.name, namespace: XMPProperty.rdfNamespace, local: "value", isAttribute: true)
            }) {
                return rdfValue.value
            }
            guard let (container, containerScope) = Self.container(in: element, scope: scope) else { return element.text }
            let items = Self.listItems(in: container, scope: containerScope)
            return (items.first(where: { $0.attribute("xml:lang") == "x-default" }) ?? items.first)?.text
        }
    }

    private static func container(in property: XMLTree.Element, scope: NamespaceScope) -> (XMLTree.Element, NamespaceScope)? {
        for index in property.elementIndices {
            guard case .element(let child) = property.children[index] else { continue }
            let childScope = scope.extended(by: child)
            if ["Bag", "Seq", "Alt"].contains(child.localName),
                childScope.namespace(ofQualifiedName: child.name) == XMPProperty.rdfNamespace
            {
                return (child, childScope)
            }
        }
        return nil
    }

    private static func listItems(in container: XMLTree.Element, scope: NamespaceScope) -> [XMLTree.Element] {
        container.elementIndices.compactMap { index in
            guard case .element(let item) = container.children[index],
                scope.extended(by: item).matches(item.name, namespace: XMPProperty.rdfNamespace, local: "li")
            else { return nil }
            return item
        }
    }

    // MARK: Writing

    /// Adds the `items` not already present to an array property, creating it (as `container`) if needed.
    mutating func addItems(_ items: [String], to property: XMPProperty, container kind: RDFContainer) {
        var existing = self.items(of: property)
        var seen = Set(existing)
        let missing = items.filter { seen.insert($0).inserted }
        guard !missing.isEmpty else { return }
        switch locate(property) {
        case .element(let index, let child):
            let description = self.description(at: index)
            guard case .element(let element) = description.children[child] else { return }
            let scope = rdfScope.extended(by: description).extended(by: element)
            if Self.container(in: element, scope: scope) != nil {
                let rdfPrefix = Self.rdfPrefix(in: scope)
                let propertyIndent = description.indentation(beforeChildAt: child) ?? ""
                modifyRDF { rdf in
                    Self.modify(&rdf, at: [index, child][...]) { element in
                        guard let containerIndex = element.elementIndices.first(where: { containerIndex in
                            guard case .element(let candidate) = element.children[containerIndex] else { return false }
                            return scope.extended(by: candidate).namespace(ofQualifiedName: candidate.name)
                                == XMPProperty.rdfNamespace && ["Bag", "Seq", "Alt"].contains(candidate.localName)
                        }) else { return }
                        let containerIndent = element.indentation(beforeChildAt: containerIndex) ?? propertyIndent + " "
                        Self.modify(&element, at: [containerIndex][...]) { container in
                            let itemIndent = container.elementIndices.first.flatMap(container.indentation(beforeChildAt:))
                                ?? containerIndent + " "
                            for item in missing {
                                container.appendChild(
                                    XMLTree.Element(name: "\(rdfPrefix):li", children: [.text(item)]),
                                    indent: itemIndent, closingIndent: containerIndent)
                            }
                        }
                    }
                }
                return
            }
            // A simple value where an array belongs: replace it with a proper array holding it and the new items.
            removeProperty(at: index, child: child)
        case .attribute(let index, let name):
            modifyRDF { rdf in Self.modify(&rdf, at: [index][...]) { $0.attributes.removeAll { $0.name == name } } }
        case nil:
            break
        }
        existing = existing.filter { !$0.isEmpty }
        insertProperty(property) { prefix, rdfPrefix, indent in
            Self.arrayElement(
                name: "\(prefix):\(property.name)", rdfPrefix: rdfPrefix, container: kind,
                items: (existing + missing).map { ($0, nil) }, indent: indent)
        }
    }

    /// Sets a simple property, in place if present (element or attribute form), else as a new element.
    mutating func setValue(_ value: String, of property: XMPProperty) {
        switch locate(property) {
        case .attribute(let index, let name):
            modifyRDF { rdf in Self.modify(&rdf, at: [index][...]) { $0.setAttribute(name, value) } }
        case .element(let index, let child):
            guard self.value(of: property) != value else { return }
            modifyRDF { rdf in
                Self.modify(&rdf, at: [index, child][...]) { element in
                    element.children = [.text(value)]
                    element.isSelfClosing = false
                }
            }
        case nil:
            insertProperty(property) { prefix, _, _ in
                XMLTree.Element(name: "\(prefix):\(property.name)", children: [.text(value)])
            }
        }
    }

    /// Sets the `x-default` entry of a language-alternative property, keeping its other languages.
    mutating func setDefaultLanguageValue(_ value: String, of property: XMPProperty) {
        if case .element(let index, let child) = locate(property) {
            let description = self.description(at: index)
            guard case .element(let element) = description.children[child] else { return }
            let scope = rdfScope.extended(by: description).extended(by: element)
            if let (container, containerScope) = Self.container(in: element, scope: scope), container.localName == "Alt" {
                let items = Self.listItems(in: container, scope: containerScope)
                if items.first(where: { $0.attribute("xml:lang") == "x-default" })?.text == value { return }
                let rdfPrefix = Self.rdfPrefix(in: scope)
                let propertyIndent = description.indentation(beforeChildAt: child) ?? ""
                modifyRDF { rdf in
                    Self.modify(&rdf, at: [index, child][...]) { element in
                        guard let containerIndex = element.elementIndices.first else { return }
                        let containerIndent = element.indentation(beforeChildAt: containerIndex) ?? propertyIndent + " "
                        Self.modify(&element, at: [containerIndex][...]) { container in
                            if let itemIndex = container.elementIndices.first(where: { itemIndex in
                                guard case .element(let item) = container.children[itemIndex] else { return false }
                                return item.attribute("xml:lang") == "x-default"
                            }) {
                                Self.modify(&container, at: [itemIndex][...]) { $0.children = [.text(value)]; $0.isSelfClosing = false }
                            } else {
                                let itemIndent = container.elementIndices.first.flatMap(container.indentation(beforeChildAt:))
                                    ?? containerIndent + " "
                                container.appendChild(
                                    XMLTree.Element(
                                        name: "\(rdfPrefix):li", attributes: [.init(name: "xml:lang", value: "x-default")],
                                        children: [.text(value)]),
                                    indent: itemIndent, closingIndent: containerIndent)
                            }
                        }
                    }
                }
                return
            }
        }
        if let location = locate(property) {
            switch location {
            case .element(let index, let child): removeProperty(at: index, child: child)
            case .attribute(let index, let name):
                modifyRDF { rdf in Self.modify(&rdf, at: [index][...]) { $0.attributes.removeAll { $0.name == name } } }
            }
        }
        insertProperty(property) { prefix, rdfPrefix, indent in
            Self.arrayElement(
                name: "\(prefix):\(property.name)", rdfPrefix: rdfPrefix, container: .alt,
                items: [(value, "x-default")], indent: indent)
        }
    }

    private mutating func removeProperty(at index: Int, child: Int) {
        modifyRDF { rdf in
            Self.modify(&rdf, at: [index][...]) { description in
                let hasIndentBefore = description.indentation(beforeChildAt: child) != nil
                description.children.remove(at: child)
                if hasIndentBefore { description.children.remove(at: child - 1) }
            }
        }
    }

    /// Adds a new property element to the description best suited to its namespace, declaring the prefix if needed.
    private mutating func insertProperty(
        _ property: XMPProperty, make: (_ prefix: String, _ rdfPrefix: String, _ indent: String) -> XMLTree.Element
    ) {
        let rdfScope = self.rdfScope
        if descriptionIndices.isEmpty {
            let rdfPrefix = Self.rdfPrefix(in: rdfScope)
            let indent = rdf.elementIndices.first.flatMap(rdf.indentation(beforeChildAt:)) ?? " "
            modifyRDF { rdf in
                rdf.appendChild(
                    XMLTree.Element(name: "\(rdfPrefix):Description", attributes: [.init(name: "\(rdfPrefix):about", value: "")], isSelfClosing: true),
                    indent: indent, closingIndent: String(indent.dropLast()))
            }
        }
        let candidates = descriptionIndices
        let target =
            candidates.first(where: { index in
                self.description(at: index).attributes.contains {
                    $0.name.hasPrefix("xmlns") && property.acceptedNamespaces.contains($0.value)
                }
            })
            ?? candidates.first(where: { index in
                let scope = rdfScope.extended(by: self.description(at: index))
                return property.acceptedNamespaces.contains { scope.prefix(for: $0, preferring: property.preferredPrefix) != nil }
            })
            ?? candidates[0]
        let description = self.description(at: target)
        let scope = rdfScope.extended(by: description)
        let declared = property.acceptedNamespaces.lazy
            .compactMap { scope.prefix(for: $0, preferring: property.preferredPrefix) }.first
        let prefix = declared ?? scope.freePrefix(preferring: property.preferredPrefix)
        let descriptionIndent = rdf.indentation(beforeChildAt: target) ?? ""
        let indent = description.elementIndices.first.flatMap(description.indentation(beforeChildAt:)) ?? descriptionIndent + " "
        let element = make(prefix, Self.rdfPrefix(in: scope), indent)
        modifyRDF { rdf in
            Self.modify(&rdf, at: [target][...]) { description in
                if declared == nil { Self.declare(prefix: prefix, namespace: property.namespace, on: &description) }
                description.appendChild(element, indent: indent, closingIndent: descriptionIndent)
            }
        }
    }

    /// Adds `xmlns:prefix` after the element's last namespace declaration, laid out like it.
    private static func declare(prefix: String, namespace: String, on element: inout XMLTree.Element) {
        guard let last = element.attributes.lastIndex(where: { $0.name.hasPrefix("xmlns") }) else {
            return element.setAttribute("xmlns:\(prefix)", namespace)
        }
        var declaration = element.attributes[last]
        declaration.name = "xmlns:\(prefix)"
        declaration.value = namespace
        element.attributes.insert(declaration, at: last + 1)
    }

    private static func rdfPrefix(in scope: NamespaceScope) -> String {
        scope.prefix(for: XMPProperty.rdfNamespace, preferring: "rdf") ?? "rdf"
    }

    /// `<name><rdf:Bag><rdf:li>item</rdf:li>…</rdf:Bag></name>`, pretty-printed one level per element.
    private static func arrayElement(
        name: String, rdfPrefix: String, container: RDFContainer, items: [(String, String?)], indent: String
    ) -> XMLTree.Element {
        var list = XMLTree.Element(name: "\(rdfPrefix):\(container.rawValue)")
        for (item, language) in items {
            let attributes = language.map { [XMLTree.Attribute(name: "xml:lang", value: $0)] } ?? []
            list.children += [.text("\n" + indent + "  "), .element(XMLTree.Element(name: "\(rdfPrefix):li", attributes: attributes, children: [.text(item)]))]
        }
        list.children.append(.text("\n" + indent + " "))
        return XMLTree.Element(name: name, children: [.text("\n" + indent + " "), .element(list), .text("\n" + indent)])
    }

    /// The packet as bytes.
    func serialized() -> [UInt8] { tree.serialized() }
}
