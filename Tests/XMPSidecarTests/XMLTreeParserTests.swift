import Imaging
import Testing

@testable import XMPSidecar

/// The XML tree parser and serializer, without files.
@Suite struct XMLTreeParserTests {
    @Test func parsingAndSerializingKeepsAPrettyDocumentByteForByte() throws {
        let text = """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <!-- written by hand -->
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/jpeg"/>
              <rdf:Description rdf:about=""><dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">A &amp; B &lt;c&gt;</dc:title></rdf:Description>
             </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="w"?>
            """
        let tree = try XMLTreeParser.parse(Array(text.utf8))
        #expect(String(decoding: tree.serialized(), as: UTF8.self) == text)
    }

    @Test func singleQuotedAttributesAndReferencesAreDecoded() throws {
        let tree = try XMLTreeParser.parse(Array("<a b='x &quot;y&quot; &#x1F600; &#65;'>&apos;&#12354;</a>".utf8))
        #expect(tree.root.attribute("b") == "x \"y\" 😀 A")
        #expect(tree.root.text == "'あ")
        #expect(String(decoding: tree.serialized(), as: UTF8.self) == "<a b='x \"y\" 😀 A'>'あ</a>")
    }

    @Test func cdataAndCommentsSurvive() throws {
        let text = "<a><!-- note --><![CDATA[<raw> & stuff]]></a>"
        let tree = try XMLTreeParser.parse(Array(text.utf8))
        #expect(tree.root.text == "<raw> & stuff")
        #expect(String(decoding: tree.serialized(), as: UTF8.self) == text)
    }

    struct BrokenCase: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var fragment: String
        var testDescription: String { fragment }
    }

    static let brokenCases: [BrokenCase] = [
        BrokenCase(text: "<?xml version='1.0'?>\n<!DOCTYPE x [<!ENTITY a 'aaaa'>]>\n<x>&a;</x>", line: 2, fragment: "DOCTYPE"),
        BrokenCase(text: "<a>\n<b>\n</a>", line: 3, fragment: "does not match"),
        BrokenCase(text: "<a>\n<b>", line: 2, fragment: "ends inside"),
        BrokenCase(text: "<a>&bogus;</a>", line: 1, fragment: "unknown or invalid entity"),
        BrokenCase(text: "<a>&#0;</a>", line: 1, fragment: "unknown or invalid entity"),
        BrokenCase(text: "<a x='1' x='2'/>", line: 1, fragment: "appears twice"),
        BrokenCase(text: "<a/><b/>", line: 1, fragment: "second root"),
        BrokenCase(text: "text", line: 1, fragment: "outside the root"),
        BrokenCase(text: "<a b=1/>", line: 1, fragment: "quoted value"),
        BrokenCase(text: "", line: 1, fragment: "no root"),
    ]

    @Test(arguments: brokenCases)
    func malformedXMLIsRejectedWithItsLine(broken: BrokenCase) {
        #expect {
            try XMLTreeParser.parse(Array(broken.text.utf8))
        } throws: { error in
            guard let failure = error as? XMLTreeParser.Failure else { return false }
            return failure.line == broken.line && failure.message.contains(broken.fragment)
        }
    }

    @Test func hostileNestingIsRejectedWithoutExhaustingTheStack() {
        let deep = String(repeating: "<a>", count: 100_000)
        #expect(throws: XMLTreeParser.Failure.self) { try XMLTreeParser.parse(Array(deep.utf8)) }
    }

    @Test func charactersXMLCannotCarryAreDroppedOnOutput() {
        let tree = XMLTree(prolog: [], root: .init(name: "a", children: [.text("x\u{1}y\u{FFFF}z")]), epilog: [])
        #expect(String(decoding: tree.serialized(), as: UTF8.self) == "<a>xyz</a>")
    }
}

/// Hostile and damaged sidecars: every mutation either parses and merges, or fails with a line number.
@Suite struct SidecarFuzzTests {
    @Test func mutatedSidecarsNeverCrashTheParserOrTheMerge() throws {
        var seed = try XMPPacket(parsing: Array(SidecarStoreTests.darktableSidecar.utf8))
        seed.apply(SidecarUpdate(
            tags: [SidecarTag("1girl", category: "general"), SidecarTag("初音ミク", category: "character"), .booruRating("general")],
            source: "https://example.org/?a=1&b=2", description: "<desc> & 'quotes'", stars: 2))
        let original = seed.serialized()
        let alphabet = Array("<>/=\"'&;:!?-[] \nrdf:liBagxmlns".utf8)
        var random = SplitMix64(seed: 0xF022)
        var parsed = 0, rejected = 0
        for _ in 0..<1500 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 6)) {
                let index = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: index)
                default: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            do {
                var packet = try XMPPacket(parsing: bytes)
                packet.apply(SidecarUpdate(tags: [SidecarTag("fuzz", category: "meta")], source: "s", description: "d", stars: 1))
                _ = try XMPPacket(parsing: packet.serialized()).contents
                parsed += 1
            } catch {
                rejected += 1
            }
        }
        #expect(parsed + rejected == 1500)
        #expect(parsed > 0 && rejected > 0)
    }
}
