/// An XMP property named by namespace URI and local name, with the prefix Sluice declares when it adds one.
struct XMPProperty: Hashable, Sendable {
    let namespace: String
    let preferredPrefix: String
    let name: String
    /// Other spellings of the namespace URI that tools write (digiKam adds a trailing slash to MicrosoftPhoto's).
    var alternateNamespaces: [String] = []

    /// Every URI that names this property's namespace, the canonical one first.
    var acceptedNamespaces: [String] { [namespace] + alternateNamespaces }

    static let rdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    static let sluiceNamespace = "http://ns.sluice.dev/xmp/1.0/"

    static let subject = XMPProperty(namespace: "http://purl.org/dc/elements/1.1/", preferredPrefix: "dc", name: "subject")
    static let source = XMPProperty(namespace: "http://purl.org/dc/elements/1.1/", preferredPrefix: "dc", name: "source")
    static let description = XMPProperty(
        namespace: "http://purl.org/dc/elements/1.1/", preferredPrefix: "dc", name: "description")
    static let hierarchicalSubject = XMPProperty(
        namespace: "http://ns.adobe.com/lightroom/1.0/", preferredPrefix: "lr", name: "hierarchicalSubject")
    static let digiKamTagsList = XMPProperty(
        namespace: "http://www.digikam.org/ns/1.0/", preferredPrefix: "digiKam", name: "TagsList")
    static let lastKeywordXMP = XMPProperty(
        namespace: "http://ns.microsoft.com/photo/1.0", preferredPrefix: "MicrosoftPhoto", name: "LastKeywordXMP",
        alternateNamespaces: ["http://ns.microsoft.com/photo/1.0/"])
    static let rating = XMPProperty(namespace: "http://ns.adobe.com/xap/1.0/", preferredPrefix: "xmp", name: "Rating")
    static let processedVersion = XMPProperty(namespace: sluiceNamespace, preferredPrefix: "sluice", name: "ProcessedVersion")
    static let processedDate = XMPProperty(namespace: sluiceNamespace, preferredPrefix: "sluice", name: "ProcessedDate")
}

/// Which RDF container holds an array property's items.
enum RDFContainer: String, Sendable {
    case bag = "Bag"
    case seq = "Seq"
    case alt = "Alt"
}

/// Prefix-to-URI bindings in scope at one element.
struct NamespaceScope {
    private var uris: [String: String] = ["xml": XMPProperty.xmlNamespace]

    /// This scope plus the `xmlns` declarations of `element`.
    func extended(by element: XMLTree.Element) -> NamespaceScope {
        guard element.attributes.contains(where: { $0.name.hasPrefix("xmlns") }) else { return self }
        var scope = self
        for attribute in element.attributes {
            if attribute.name == "xmlns" {
                scope.uris[""] = attribute.value
            } else if attribute.name.hasPrefix("xmlns:") {
                scope.uris[String(attribute.name.dropFirst(6))] = attribute.value
            }
        }
        return scope
    }

    func uri(forPrefix prefix: String) -> String? { uris[prefix] }

    /// The namespace URI of a qualified element or attribute name (unprefixed attributes have none).
    func namespace(ofQualifiedName name: String, isAttribute: Bool = false) -> String? {
        if let colon = name.utf8.firstIndex(of: UInt8(ascii: ":")) { return uris[String(name[..<colon])] }
        return isAttribute ? nil : uris[""]
    }

    /// Whether `name` is `local` in `namespace` (compared as UTF-8, without grapheme breaking: this is hot).
    func matches(_ name: String, namespace: String, local: String, isAttribute: Bool = false) -> Bool {
        let utf8 = name.utf8
        let localStart = utf8.firstIndex(of: UInt8(ascii: ":")).map { utf8.index(after: $0) } ?? utf8.startIndex
        guard utf8[localStart...].elementsEqual(local.utf8) else { return false }
        return self.namespace(ofQualifiedName: name, isAttribute: isAttribute) == namespace
    }

    /// A prefix bound to `namespace` here, preferring `preferred`.
    func prefix(for namespace: String, preferring preferred: String) -> String? {
        if uris[preferred] == namespace { return preferred }
        return uris.filter { $0.value == namespace && !$0.key.isEmpty }.keys.sorted().first
    }

    /// `preferred`, or `preferred2`, `preferred3` … when `preferred` is taken by another namespace.
    func freePrefix(preferring preferred: String) -> String {
        if uris[preferred] == nil { return preferred }
        var number = 2
        while uris["\(preferred)\(number)"] != nil { number += 1 }
        return "\(preferred)\(number)"
    }
}
