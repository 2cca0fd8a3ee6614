import CExif
import ExifMetadata
import Foundation
import Testing

/// Stripping GPS and camera EXIF from upload copies, checked with the real exiftool.
@Suite struct ExifStripperTests {
    static let gpsLatitudeRef = ExifTag(rawValue: 0x0001)

    @Test func jpegLosesGPSAndCameraButKeepsOrientationAndDate() throws {
        let block = ImageFixtures.exifBlock([
            .short(EXIF_TAG_ORIENTATION, 6, bigEndian: false),
            .ascii(EXIF_TAG_MAKE, "Canon"),
            .ascii(EXIF_TAG_MODEL, "Canon EOS R5"),
            .ascii(EXIF_TAG_DATE_TIME, "2024:05:06 07:08:09"),
            .ascii(Self.gpsLatitudeRef, "N", ifd: EXIF_IFD_GPS),
        ])
        let original = ImageFixtures.jpeg(withExif: block)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = folder.appendingPathComponent("before.jpg")
        try Data(original).write(to: before)
        let beforeTags = String(decoding: try runExiftool(["-s", "-Make", "-Model", "-GPSLatitudeRef", before.path]), as: UTF8.self)
        #expect(beforeTags.contains("Canon") && beforeTags.contains("GPSLatitudeRef"), "fixture sanity: \(beforeTags)")

        let stripped = try #require(try ExifStripper.stripped(Data(original), path: before.path))
        let after = folder.appendingPathComponent("after.jpg")
        try stripped.write(to: after)
        let afterTags = String(decoding: try runExiftool(["-s", "-Make", "-Model", "-GPSLatitudeRef", "-Orientation#", "-ModifyDate", after.path]), as: UTF8.self)
        #expect(!afterTags.contains("Canon") && !afterTags.contains("GPSLatitudeRef"), "\(afterTags)")
        #expect(afterTags.contains("Orientation                     : 6"), "\(afterTags)")
        #expect(afterTags.contains("2024:05:06 07:08:09"), "\(afterTags)")
        let facts = try ExifFacts.read(from: after.path)
        #expect(facts.orientation == 6 && facts.make == nil && facts.model == nil)
    }

    @Test func imageWithoutSuchTagsIsLeftAlone() throws {
        let block = ImageFixtures.exifBlock([.short(EXIF_TAG_ORIENTATION, 3, bigEndian: true)], bigEndian: true)
        #expect(try ExifStripper.stripped(Data(ImageFixtures.jpeg(withExif: block)), path: "x.jpg") == nil)
        #expect(try ExifStripper.stripped(Data(ImageFixtures.jpeg()), path: "plain.jpg") == nil)
    }

    @Test func pngExifChunkIsDropped() throws {
        let block = ImageFixtures.exifBlock([.ascii(EXIF_TAG_MODEL, "Pixel 8")])
        let stripped = try #require(try ExifStripper.stripped(Data(ImageFixtures.png(withExif: block)), path: "x.png"))
        #expect(!stripped.contains(Data("eXIf".utf8)))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strip-png-\(UUID().uuidString).png")
        try stripped.write(to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try ExifFacts.read(from: folder.path).model == nil)
    }

    @Test func truncatedJPEGSegmentIsAnErrorNamingTheFile() {
        let broken = Data([0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 0x45, 0x78])
        #expect(throws: ExifError.self) { try ExifStripper.stripped(broken, path: "/photos/broken.jpg") }
    }
}

extension Data {
    func contains(_ needle: Data) -> Bool { range(of: needle) != nil }
}
