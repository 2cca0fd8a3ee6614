import Testing

@testable import XMPSidecar

/// Merging Sluice's fields into XMP packets, without files.
@Suite struct XMPPacketTests {
    static let update = SidecarUpdate(
        tags: [SidecarTag("1girl", category: "general"), SidecarTag("hatsune miku", category: "character"), .booruRating("general")],
        source: "https://danbooru.donmai.us/posts/1", description: "A test & more", stars: nil)

    @Test func emptyPacketGainsEveryField() throws {
        var packet = XMPPacket.empty(toolkit: "Sluice test")
        packet.apply(Self.update)
        let reparsed = try XMPPacket(parsing: packet.serialized())
        let contents = reparsed.contents
        #expect(contents.keywords == ["1girl", "hatsune miku", "rating:general"])
        #expect(contents.hierarchicalKeywords == ["general|1girl", "character|hatsune miku", "rating|general"])
        #expect(contents.digiKamTags == ["general/1girl", "character/hatsune miku", "rating/general"])
        #expect(contents.lastKeywords == contents.digiKamTags)
        #expect(contents.source == "https://danbooru.donmai.us/posts/1")
        #expect(contents.description == "A test & more")
        #expect(contents.stars == nil)
        #expect(contents.booruRating == "general")
        #expect(contents.tagsByCategory == ["general": ["1girl"], "character": ["hatsune miku"], "rating": ["general"]])
    }

    @Test func applyingTheSameUpdateTwiceChangesNothing() throws {
        var packet = XMPPacket.empty(toolkit: "t")
        packet.apply(Self.update)
        let once = try XMPPacket(parsing: packet.serialized())
        var twice = once
        twice.apply(Self.update)
        #expect(twice == once)
        #expect(twice.serialized() == once.serialized())
    }

    @Test func existingKeywordsAreKeptAndNewOnesAppended() throws {
        let text = """
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about=""
                xmlns:purl="http://purl.org/dc/elements/1.1/">
               <purl:subject>
                <rdf:Bag>
                 <rdf:li>holiday</rdf:li>
                 <rdf:li>1girl</rdf:li>
                </rdf:Bag>
               </purl:subject>
              </rdf:Description>
             </rdf:RDF>
            </x:xmpmeta>
            """
        var packet = try XMPPacket(parsing: Array(text.utf8))
        packet.apply(SidecarUpdate(tags: [SidecarTag("1girl"), SidecarTag("solo")]))
        let output = String(decoding: packet.serialized(), as: UTF8.self)
        #expect(packet.contents.keywords == ["holiday", "1girl", "solo"])
        #expect(output.contains("     <rdf:li>1girl</rdf:li>\n     <rdf:li>solo</rdf:li>\n    </rdf:Bag>"))
        #expect(!output.contains("xmlns:dc="), "the existing prefix for the dc namespace is reused")
    }

    @Test func attributeFormPropertiesAreUpdatedInPlace() throws {
        let text = """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
            <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" \
            xmp:Rating="2" dc:source="old" exif:GPSLatitude="51,30.0N" xmlns:exif="http://ns.adobe.com/exif/1.0/"/>\
            </rdf:RDF></x:xmpmeta>
            """
        var packet = try XMPPacket(parsing: Array(text.utf8))
        packet.apply(SidecarUpdate(tags: [], source: "new", stars: 4))
        let output = String(decoding: packet.serialized(), as: UTF8.self)
        #expect(output.contains("xmp:Rating=\"4\" dc:source=\"new\" exif:GPSLatitude=\"51,30.0N\""))
        #expect(packet.contents.stars == 4)
    }

    @Test func descriptionKeepsOtherLanguages() throws {
        let text = """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
             <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <dc:description><rdf:Alt><rdf:li xml:lang="ja-JP">説明</rdf:li><rdf:li xml:lang="x-default">old</rdf:li></rdf:Alt></dc:description>
             </rdf:Description>
            </rdf:RDF>
            """
        var packet = try XMPPacket(parsing: Array(text.utf8))
        packet.apply(SidecarUpdate(tags: [], description: "new"))
        let output = String(decoding: packet.serialized(), as: UTF8.self)
        #expect(output.contains("<rdf:li xml:lang=\"ja-JP\">説明</rdf:li><rdf:li xml:lang=\"x-default\">new</rdf:li>"))
    }

    @Test func starsAreWrittenOnlyWhenAskedFor() throws {
        var packet = XMPPacket.empty(toolkit: "t")
        packet.apply(SidecarUpdate(tags: [SidecarTag("a")]))
        #expect(!String(decoding: packet.serialized(), as: UTF8.self).contains("Rating"))
        packet.apply(SidecarUpdate(tags: [], stars: 3))
        #expect(packet.contents.stars == 3)
    }

    @Test func markerIsOnlyAddedOnAForcedWriteWhenContentChanges() throws {
        let marker = ProcessedMarker(version: "1.0", date: "2026-01-01T00:00:00Z")
        guard case .write(let first, true) = SidecarMerge.decide(
            existing: nil, existingIsCurrentName: false, update: Self.update, force: false, marker: marker, toolkit: "t")
        else { Issue.record("a new sidecar is written"); return }
        let existing = try XMPPacket(parsing: first)
        let later = ProcessedMarker(version: "1.1", date: "2026-02-02T00:00:00Z")
        #expect(SidecarMerge.decide(existing: existing, existingIsCurrentName: true, update: Self.update, force: false, marker: later, toolkit: "t")
            == .skippedAlreadyProcessed(marker))
        #expect(SidecarMerge.decide(existing: existing, existingIsCurrentName: true, update: Self.update, force: true, marker: later, toolkit: "t")
            == .unchanged)
        let more = SidecarUpdate(tags: Self.update.tags + [SidecarTag("smile", category: "general")])
        guard case .write(let second, false) = SidecarMerge.decide(
            existing: existing, existingIsCurrentName: true, update: more, force: true, marker: later, toolkit: "t")
        else { Issue.record("new tags are written"); return }
        #expect(try XMPPacket(parsing: second).processedMarker == later)
    }

    @Test func packetWithoutRDFIsRejected() {
        #expect(throws: XMPPacket.Failure.noRDF) { try XMPPacket(parsing: Array("<a><b/></a>".utf8)) }
    }
}

/// Caption text to tags, as `sluice sidecar write --tags` reads it.
@Suite struct SidecarTagParsingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: [SidecarTag]
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "1girl, solo ,  smile", expected: [SidecarTag("1girl"), SidecarTag("solo"), SidecarTag("smile")]),
        Case(text: "1girl\nhatsune miku\n\n", expected: [SidecarTag("1girl"), SidecarTag("hatsune miku", category: "character")]),
        Case(text: "rating:general, rating:q", expected: [.booruRating("general"), .booruRating("questionable")]),
        Case(text: "re:zero, :d, solo, solo", expected: [SidecarTag("re:zero"), SidecarTag(":d"), SidecarTag("solo")]),
        Case(text: " , ,", expected: []),
    ]

    @Test(arguments: cases)
    func captionTextBecomesTags(parsing: Case) {
        #expect(SidecarTag.parseList(parsing.text, categories: ["hatsune miku": "character"]) == parsing.expected)
    }

    @Test func uncategorizedTagAlreadyFiledUnderACategoryStaysOutOfTheHierarchy() {
        var packet = XMPPacket.empty(toolkit: "t")
        packet.apply(SidecarUpdate(tags: [SidecarTag("1girl", category: "general")]))
        packet.apply(SidecarUpdate(tags: [SidecarTag("1girl"), SidecarTag("solo")]))
        #expect(packet.contents.hierarchicalKeywords == ["general|1girl", "solo"])
        #expect(packet.contents.keywords == ["1girl", "solo"])
    }
}

/// Sidecar names beside images.
@Suite struct SidecarPathsTests {
    @Test(arguments: [
        ("/photos/a.jpg", "/photos/a.jpg.xmp", "/photos/a.xmp", "/photos"),
        ("/photos/a.b.png", "/photos/a.b.png.xmp", "/photos/a.b.xmp", "/photos"),
        ("/a.webp", "/a.webp.xmp", "/a.xmp", "/"),
        ("relative.jpg", "relative.jpg.xmp", "relative.xmp", "."),
        ("/photos/noextension", "/photos/noextension.xmp", "/photos/noextension.xmp", "/photos"),
        ("/photos/.hidden", "/photos/.hidden.xmp", "/photos/.hidden.xmp", "/photos"),
    ])
    func sidecarNamesFollowTheDigiKamConvention(image: String, current: String, legacy: String, folder: String) {
        let paths = SidecarPaths(image: image)
        #expect(paths.current == current)
        #expect(paths.legacy == legacy)
        #expect(paths.folder == folder)
        #expect(paths.temporary(index: 3, processID: 42).hasPrefix((folder == "/" ? "" : folder) + "/."))
    }
}
