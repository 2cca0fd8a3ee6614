import Foundation
import Testing
import XMPSidecar

/// Sidecars on disk, checked with the real exiftool.
@Suite struct SidecarStoreTests {
    let folder: URL
    let store = SidecarStore(toolVersion: "9.8.7")
    static let date = Date(timeIntervalSince1970: 1_790_000_000)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sidecar-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    private func image(_ name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data([0xFF, 0xD8, 0xFF, 0xD9]).write(to: url)
        return url
    }

    /// Sidecar fields Sluice owns, as exiftool names them; everything else must survive untouched.
    static let ownedFields: Set<String> = [
        "XMP-dc:Subject", "XMP-lr:HierarchicalSubject", "XMP-digiKam:TagsList", "XMP-microsoft:LastKeywordXMP",
        "XMP-dc:Source", "XMP-dc:Description", "XMP-sluice:ProcessedVersion", "XMP-sluice:ProcessedDate",
    ]

    @Test func exiftoolReadsBackEveryFieldOfASingleTag() throws {
        defer { cleanUp() }
        let image = try image("single.jpg")
        let update = SidecarUpdate(
            tags: [SidecarTag("solo", category: "general")], source: "https://example.org/posts/7",
            description: "One tag only", stars: 4)
        #expect(try store.write(update, forImage: image, date: Self.date) == .created)
        let fields = try Exiftool.fields(of: SidecarStore.sidecarURL(forImage: image).path)
        #expect(Exiftool.list(fields["XMP-dc:Subject"]) == ["solo"])
        #expect(Exiftool.list(fields["XMP-lr:HierarchicalSubject"]) == ["general|solo"])
        #expect(Exiftool.list(fields["XMP-digiKam:TagsList"]) == ["general/solo"])
        #expect(Exiftool.list(fields["XMP-microsoft:LastKeywordXMP"]) == ["general/solo"])
        #expect(fields["XMP-dc:Source"] as? String == "https://example.org/posts/7")
        #expect(fields["XMP-dc:Description"] as? String == "One tag only")
        #expect(fields["XMP-xmp:Rating"] as? Int == 4)
        #expect(fields["XMP-sluice:ProcessedVersion"] as? String == "9.8.7")
        #expect(fields["ExifTool:Warning"] == nil)
    }

    static let manyTags: [SidecarTag] = {
        var tags = [
            SidecarTag("初音ミク", category: "character"), SidecarTag("🎉 party", category: "meta"),
            SidecarTag("tom & jerry <3", category: "copyright"), SidecarTag("say \"cheese\"", category: "general"),
            SidecarTag("it's fine", category: "general"), SidecarTag("ＡＢＣ全角"), SidecarTag("naïve café"),
            SidecarTag("fate/stay night", category: "copyright"), .booruRating("sensitive"),
        ]
        tags += (1...31).map { SidecarTag("tag_\($0)_x", category: $0 % 2 == 0 ? "general" : "artist") }
        return tags
    }()

    @Test func exiftoolReadsBackManyTagsExactly() throws {
        defer { cleanUp() }
        let image = try image("many.png")
        let description = "Zeile 1 & <zwei> \"drei\" 'vier' — 説明 🌸"
        let update = SidecarUpdate(tags: Self.manyTags, source: "https://example.org/p?a=1&b=2", description: description)
        #expect(try store.write(update, forImage: image, date: Self.date) == .created)
        let fields = try Exiftool.fields(of: folder.appendingPathComponent("many.png.xmp").path)
        #expect(Exiftool.list(fields["XMP-dc:Subject"]) == Self.manyTags.map { $0.category == "rating" ? "rating:\($0.name)" : $0.name })
        #expect(Exiftool.list(fields["XMP-lr:HierarchicalSubject"]) == Self.manyTags.map { $0.category.map { "\($0)|" } ?? "" }.enumerated().map { $1 + Self.manyTags[$0].name })
        let paths = Self.manyTags.map { tag in tag.category.map { "\($0)/\(tag.name)" } ?? tag.name }
        #expect(Exiftool.list(fields["XMP-digiKam:TagsList"]) == paths)
        #expect(Exiftool.list(fields["XMP-microsoft:LastKeywordXMP"]) == paths)
        #expect(fields["XMP-dc:Source"] as? String == "https://example.org/p?a=1&b=2")
        #expect(fields["XMP-dc:Description"] as? String == description)
        #expect(fields["XMP-xmp:Rating"] == nil, "no stars were asked for")
        let contents = try #require(try store.read(forImage: image))
        #expect(contents.tags == Self.manyTags)
        #expect(contents.booruRating == "sensitive")
        #expect(contents.processed == ProcessedMarker(version: "9.8.7", date: "2026-09-21T14:13:20Z"))
    }

    @Test func secondWriteWithTheSameTagsLeavesTheFileIdentical() throws {
        defer { cleanUp() }
        let image = try image("twice.webp")
        let update = SidecarUpdate(tags: Self.manyTags, source: "https://example.org/1", description: "d")
        #expect(try store.write(update, forImage: image, date: Self.date) == .created)
        let sidecar = SidecarStore.sidecarURL(forImage: image)
        let first = try Data(contentsOf: sidecar)
        #expect(try store.write(update, forImage: image, date: Self.date.addingTimeInterval(99)) == .skippedAlreadyProcessed)
        #expect(try store.write(update, forImage: image, force: true, date: Self.date.addingTimeInterval(99)) == .unchanged)
        #expect(try Data(contentsOf: sidecar) == first)
        let more = SidecarUpdate(tags: [SidecarTag("new one", category: "general")])
        #expect(try store.write(more, forImage: image, force: true, date: Self.date.addingTimeInterval(99)) == .updated)
        #expect(try store.read(forImage: image)?.keywords.last == "new one")
    }

    @Test func exiftoolWrittenSidecarKeepsGPSFacesAndEverythingElse() throws {
        defer { cleanUp() }
        let image = try image("photo.jpg")
        let sidecar = SidecarStore.sidecarURL(forImage: image).path
        try Exiftool.run([
            "-q", "-XMP-dc:Subject=holiday", "-XMP-dc:Subject=beach", "-XMP-dc:Title=Summer",
            "-XMP-lr:HierarchicalSubject=places|beach", "-XMP-xmp:Rating=3", "-XMP-dc:Source=https://old.example/1",
            "-XMP-exif:GPSLatitude=35.6586", "-XMP-exif:GPSLatitudeRef=N", "-XMP-exif:GPSLongitude=139.7454",
            "-XMP-exif:GPSLongitudeRef=E", "-XMP-exif:GPSAltitude=40", "-XMP-photoshop:City=Tokyo",
            "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=4000,H=3000,Unit=pixel},RegionList=[{Area={X=0.5,Y=0.4,W=0.1,H=0.15,Unit=normalized},Name=Alice,Type=Face},{Area={X=0.2,Y=0.3,W=0.1,H=0.1,Unit=normalized},Name=Bob,Type=Face}]}",
            sidecar,
        ])
        let before = try Exiftool.fields(of: sidecar)
        #expect(before["XMP-mwg-rs:RegionInfo"] != nil && before["XMP-exif:GPSLatitude"] != nil)

        let update = SidecarUpdate(tags: [SidecarTag("beach"), SidecarTag("1girl", category: "general")], source: "https://new.example/2")
        #expect(try store.write(update, forImage: image, date: Self.date) == .updated)
        let after = try Exiftool.fields(of: sidecar)

        for (key, value) in before where !Self.ownedFields.contains(key) {
            #expect(after[key].map(Exiftool.canonical) == Exiftool.canonical(value), "\(key) changed")
        }
        #expect(Set(after.keys).subtracting(before.keys).isSubset(of: Self.ownedFields))
        #expect(Exiftool.list(after["XMP-dc:Subject"]) == ["holiday", "beach", "1girl"])
        #expect(Exiftool.list(after["XMP-lr:HierarchicalSubject"]) == ["places|beach", "general|1girl"], "beach is already filed under places")
        #expect(after["XMP-dc:Source"] as? String == "https://new.example/2")
        #expect(after["XMP-xmp:Rating"] as? Int == 3)
        #expect(after["ExifTool:Warning"] == nil)
    }

    static let darktableSidecar = """
        <?xml version="1.0" encoding="UTF-8"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
         <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description rdf:about=""
            xmlns:exif="http://ns.adobe.com/exif/1.0/"
            xmlns:xmp="http://ns.adobe.com/xap/1.0/"
            xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
            xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
            xmlns:digiKam="http://www.digikam.org/ns/1.0/"
            xmlns:MicrosoftPhoto="http://ns.microsoft.com/photo/1.0/"
            xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
            xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"
            xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
            xmlns:darktable="http://darktable.sf.net/"
           exif:DateTimeOriginal="2023:05:01 10:11:12"
           exif:GPSLatitude="48,51.4812N"
           exif:GPSLongitude="2,17.7096E"
           exif:GPSAltitude="350/10"
           xmp:Rating="1"
           xmpMM:DerivedFrom="IMG_0001.CR3"
           darktable:import_timestamp="63849600000000"
           darktable:xmp_version="5"
           darktable:raw_params="0"
           darktable:auto_presets_applied="1"
           darktable:history_end="2">
           <dc:subject>
            <rdf:Bag>
             <rdf:li>Paris</rdf:li>
             <rdf:li>darktable|format|cr3</rdf:li>
            </rdf:Bag>
           </dc:subject>
           <lr:hierarchicalSubject>
            <rdf:Bag>
             <rdf:li>Places|France|Paris</rdf:li>
            </rdf:Bag>
           </lr:hierarchicalSubject>
           <digiKam:TagsList>
            <rdf:Seq>
             <rdf:li>Places/France/Paris</rdf:li>
            </rdf:Seq>
           </digiKam:TagsList>
           <MicrosoftPhoto:LastKeywordXMP>
            <rdf:Bag>
             <rdf:li>Places/France/Paris</rdf:li>
            </rdf:Bag>
           </MicrosoftPhoto:LastKeywordXMP>
           <mwg-rs:Regions rdf:parseType="Resource">
            <mwg-rs:AppliedToDimensions stDim:w="6000" stDim:h="4000" stDim:unit="pixel"/>
            <mwg-rs:RegionList>
             <rdf:Bag>
              <rdf:li>
               <rdf:Description mwg-rs:Name="Marie" mwg-rs:Type="Face">
                <mwg-rs:Area stArea:x="0.41" stArea:y="0.33" stArea:w="0.08" stArea:h="0.12" stArea:unit="normalized"/>
               </rdf:Description>
              </rdf:li>
             </rdf:Bag>
            </mwg-rs:RegionList>
           </mwg-rs:Regions>
           <darktable:masks_history>
            <rdf:Seq/>
           </darktable:masks_history>
           <darktable:history>
            <rdf:Seq>
             <rdf:li
              darktable:num="0"
              darktable:operation="rawprepare"
              darktable:enabled="1"
              darktable:modversion="1"
              darktable:params="000000000000000000000000"
              darktable:multi_name=""
              darktable:multi_priority="0"
              darktable:blendop_version="13"
              darktable:blendop_params="gz08eJxjYIAACQYYOOHEgAZY0QVwggZ7CB6pfOygYtaHu2MwhaQ3AM0ZBxE="/>
             <rdf:li
              darktable:num="1"
              darktable:operation="exposure"
              darktable:enabled="1"
              darktable:modversion="6"
              darktable:params="00000000000080b90000403f00004842000080c001000000"
              darktable:multi_name=""
              darktable:multi_priority="0"
              darktable:blendop_version="13"
              darktable:blendop_params="gz08eJxjYIAACQYYOOHEgAZY0QVwggZ7CB6pfOygYtaHu2MwhaQ3AM0ZBxE="/>
            </rdf:Seq>
           </darktable:history>
          </rdf:Description>
         </rdf:RDF>
        </x:xmpmeta>

        """

    @Test func darktableAndDigiKamSidecarKeepsHistoryGPSAndFaceRegions() throws {
        defer { cleanUp() }
        let image = try image("IMG_0001.CR3")
        let sidecar = SidecarStore.sidecarURL(forImage: image)
        try Data(Self.darktableSidecar.utf8).write(to: sidecar)
        let before = try Exiftool.fields(of: sidecar.path)
        #expect(before["XMP-darktable:History"] != nil && before["XMP-mwg-rs:RegionInfo"] != nil)

        let update = SidecarUpdate(tags: [SidecarTag("eiffel tower", category: "general"), .booruRating("general")], description: "Tour")
        #expect(try store.write(update, forImage: image, date: Self.date) == .updated)
        let after = try Exiftool.fields(of: sidecar.path)
        for (key, value) in before where !Self.ownedFields.contains(key) {
            #expect(after[key].map(Exiftool.canonical) == Exiftool.canonical(value), "\(key) changed")
        }
        #expect(Exiftool.list(after["XMP-digiKam:TagsList"]) == ["Places/France/Paris", "general/eiffel tower", "rating/general"])
        #expect(Exiftool.list(after["XMP-microsoft:LastKeywordXMP"]) == ["Places/France/Paris", "general/eiffel tower", "rating/general"])
        let text = try String(contentsOf: sidecar, encoding: .utf8)
        let history = try #require(Self.darktableSidecar.range(of: "   <darktable:history>").map { Self.darktableSidecar[$0.lowerBound...] })
        let historyBlock = history[..<history.range(of: "</darktable:history>")!.upperBound]
        #expect(text.contains(historyBlock), "darktable's history is kept byte for byte")
        #expect(text.contains("xmlns:MicrosoftPhoto=\"http://ns.microsoft.com/photo/1.0/\""))
        #expect(!text.contains("MicrosoftPhoto2"))
    }

    @Test func legacySidecarFieldsAreKeptInTheNewSidecar() throws {
        defer { cleanUp() }
        let image = try image("old.jpg")
        let legacy = SidecarStore.legacySidecarURL(forImage: image)
        #expect(legacy.lastPathComponent == "old.xmp")
        try Exiftool.run(["-q", "-XMP-dc:Title=Kept title", "-XMP-dc:Subject=from lightroom", "-XMP-xmp:Label=Red", legacy.path])
        let legacyBytes = try Data(contentsOf: legacy)
        #expect(try store.write(SidecarUpdate(tags: [SidecarTag("new")]), forImage: image, date: Self.date) == .created)
        let fields = try Exiftool.fields(of: SidecarStore.sidecarURL(forImage: image).path)
        #expect(fields["XMP-dc:Title"] as? String == "Kept title")
        #expect(fields["XMP-xmp:Label"] as? String == "Red")
        #expect(Exiftool.list(fields["XMP-dc:Subject"]) == ["from lightroom", "new"])
        #expect(try Data(contentsOf: legacy) == legacyBytes, "the legacy file is left for the tools that use it")
    }

    @Test func malformedSidecarIsAnErrorNamingFileAndLineAndIsLeftAlone() throws {
        defer { cleanUp() }
        let image = try image("broken.jpg")
        let sidecar = SidecarStore.sidecarURL(forImage: image)
        let broken = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF>\n</x:xmpmeta>\n"
        try Data(broken.utf8).write(to: sidecar)
        #expect {
            try store.write(SidecarUpdate(tags: [SidecarTag("a")]), forImage: image)
        } throws: { error in
            guard case .malformed(let path, let line, _) = error as? SidecarError else { return false }
            return path == sidecar.path && line == 3 && "\(error)".hasPrefix("\(sidecar.path):3:")
        }
        #expect(try String(contentsOf: sidecar, encoding: .utf8) == broken)
    }

    @Test func writeAllWritesEverySidecarAndReportsEach() throws {
        defer { cleanUp() }
        let images = try (0..<6).map { try image("batch\($0).jpg") }
        try Data("not xml".utf8).write(to: SidecarStore.sidecarURL(forImage: images[5]))
        let updates = images.map { (image: $0, update: SidecarUpdate(tags: [SidecarTag("batch", category: "meta")])) }
        let results = store.writeAll(updates, date: Self.date)
        #expect(results.prefix(5).allSatisfy { (try? $0.get()) == .created })
        guard case .failure(.malformed(let path, _, _)) = results[5] else { Issue.record("the broken sidecar fails alone"); return }
        #expect(path.hasSuffix("batch5.jpg.xmp"))
        let fields = try Exiftool.fields(of: SidecarStore.sidecarURL(forImage: images[2]).path)
        #expect(Exiftool.list(fields["XMP-digiKam:TagsList"]) == ["meta/batch"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("tmp-") }
        #expect(leftovers.isEmpty)
        #expect(store.writeAll(updates, date: Self.date).prefix(5).allSatisfy { (try? $0.get()) == .skippedAlreadyProcessed })
    }

    @Test func renameOnlyStoreWritesTheSameBytesAsTheFlushedOne() throws {
        defer { cleanUp() }
        let update = SidecarUpdate(tags: Self.manyTags, source: "https://example.org/9")
        let flushed = try image("flushed.jpg"), renamed = try image("renamed.jpg")
        #expect(try store.write(update, forImage: flushed, date: Self.date) == .created)
        let fast = SidecarStore(toolVersion: "9.8.7", durability: .renameOnly)
        #expect(try fast.write(update, forImage: renamed, date: Self.date) == .created)
        #expect(fast.writeAll([(renamed, SidecarUpdate(tags: [SidecarTag("later")]))], force: true, date: Self.date).first.flatMap { try? $0.get() } == .updated)
        #expect(try Data(contentsOf: SidecarStore.sidecarURL(forImage: renamed)).count > 0)
        #expect(try store.read(forImage: renamed)?.keywords.last == "later")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func imageWithoutSidecarReadsAsNil() throws {
        defer { cleanUp() }
        #expect(try store.read(forImage: try image("none.jpg")) == nil)
    }
}
