import CExif
import ExifMetadata
import Foundation
import Imaging
import Testing

/// Reading EXIF facts from images the tests build with libturbojpeg, libwebp and libexif.
@Suite struct ExifFactsTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("exif-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private func write(_ bytes: [UInt8], named name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    @Test(arguments: 1...8, [false, true])
    func orientationIsReadFromJPEG(orientation: Int, bigEndian: Bool) throws {
        defer { cleanUp() }
        let block = ImageFixtures.exifBlock(
            [.short(EXIF_TAG_ORIENTATION, UInt16(orientation), bigEndian: bigEndian)], bigEndian: bigEndian)
        let path = try write(ImageFixtures.jpeg(withExif: block), named: "o\(orientation).jpg")
        let facts = try ExifFacts.read(from: path)
        #expect(facts.orientation == orientation)
        #expect(facts.hasExif)
    }

    struct CameraCase: Sendable, CustomTestStringConvertible {
        var make: String?
        var model: String?
        var original: String?
        var modified: String?
        var expectedDate: String?
        var testDescription: String { "\(model ?? "no model") / \(original ?? modified ?? "no date")" }
    }

    static let cameraCases: [CameraCase] = [
        CameraCase(make: "Canon", model: "Canon EOS R5", original: "2023:07:14 18:02:33", expectedDate: "2023-07-14T18:02:33"),
        CameraCase(make: "SONY", model: "ILCE-7M4", original: "2024:02:29 00:00:00", expectedDate: "2024-02-29T00:00:00"),
        CameraCase(make: "Apple", model: "iPhone 15 Pro", modified: "2021:12:31 23:59:59", expectedDate: "2021-12-31T23:59:59"),
        CameraCase(make: "  NIKON CORPORATION  ", model: "NIKON Z 6", original: "0000:00:00 00:00:00"),
        CameraCase(model: "Pixel 8", original: "garbage"),
        CameraCase(original: "2019:05:01 12:00:00", expectedDate: "2019-05-01T12:00:00"),
    ]

    @Test(arguments: cameraCases)
    func makeModelAndCaptureDateAreRead(camera: CameraCase) throws {
        defer { cleanUp() }
        var entries: [FixtureEntry] = []
        if let make = camera.make { entries.append(.ascii(EXIF_TAG_MAKE, make)) }
        if let model = camera.model { entries.append(.ascii(EXIF_TAG_MODEL, model)) }
        if let original = camera.original { entries.append(.ascii(EXIF_TAG_DATE_TIME_ORIGINAL, original, ifd: EXIF_IFD_EXIF)) }
        if let modified = camera.modified { entries.append(.ascii(EXIF_TAG_DATE_TIME, modified)) }
        let path = try write(ImageFixtures.jpeg(withExif: ImageFixtures.exifBlock(entries)), named: "camera.jpg")
        let facts = try ExifFacts.read(from: path)
        #expect(facts.make == camera.make?.trimmingCharacters(in: .whitespaces))
        #expect(facts.model == camera.model)
        #expect(facts.captureDate?.description == camera.expectedDate)
        #expect(facts.suggestsPhotograph == (camera.make != nil || camera.model != nil))
        #expect(facts.orientation == 1)
    }

    @Test func dateTimeOriginalWinsOverDateTime() throws {
        let block = ImageFixtures.exifBlock([
            .ascii(EXIF_TAG_DATE_TIME, "2020:01:01 01:01:01"),
            .ascii(EXIF_TAG_DATE_TIME_ORIGINAL, "2010:06:15 08:30:00", ifd: EXIF_IFD_EXIF),
        ])
        let facts = try #require(ExifFacts.parse(exifBlock: block))
        #expect(facts.captureDate == CaptureDate(year: 2010, month: 6, day: 15, hour: 8, minute: 30, second: 0))
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(facts.captureDate?.date(in: utc) == Date(timeIntervalSince1970: 1_276_590_600))
    }

    @Test(arguments: [false, true])
    func pixelDimensionsAreReadAsShortOrLong(bigEndian: Bool) throws {
        let block = ImageFixtures.exifBlock(
            [
                .long(EXIF_TAG_PIXEL_X_DIMENSION, 6000, ifd: EXIF_IFD_EXIF, bigEndian: bigEndian),
                .short(EXIF_TAG_PIXEL_Y_DIMENSION, 4000, ifd: EXIF_IFD_EXIF, bigEndian: bigEndian),
            ], bigEndian: bigEndian)
        let facts = try #require(ExifFacts.parse(exifBlock: block))
        #expect(facts.pixelWidth == 6000)
        #expect(facts.pixelHeight == 4000)
    }

    @Test func exifInPNGChunkIsRead() throws {
        defer { cleanUp() }
        let block = ImageFixtures.exifBlock([
            .short(EXIF_TAG_ORIENTATION, 6, bigEndian: false), .ascii(EXIF_TAG_MODEL, "PNG Camera"),
        ])
        let path = try write(ImageFixtures.png(withExif: block), named: "exif.png")
        let facts = try ExifFacts.read(from: path)
        #expect(facts.orientation == 6)
        #expect(facts.model == "PNG Camera")
    }

    @Test func exifInWebPChunkIsRead() throws {
        defer { cleanUp() }
        let block = ImageFixtures.exifBlock([
            .short(EXIF_TAG_ORIENTATION, 8, bigEndian: true), .ascii(EXIF_TAG_MAKE, "WebP Maker"),
        ], bigEndian: true)
        let path = try write(ImageFixtures.webp(withExif: block), named: "exif.webp")
        let facts = try ExifFacts.read(from: path)
        #expect(facts.orientation == 8)
        #expect(facts.make == "WebP Maker")
    }

    @Test func exiftoolReadsTheSameFactsFromTheFixtures() throws {
        defer { cleanUp() }
        let block = ImageFixtures.exifBlock([
            .short(EXIF_TAG_ORIENTATION, 3, bigEndian: false), .ascii(EXIF_TAG_MODEL, "Fixture Model"),
            .ascii(EXIF_TAG_DATE_TIME_ORIGINAL, "2022:03:04 05:06:07", ifd: EXIF_IFD_EXIF),
        ])
        let paths = try [
            write(ImageFixtures.jpeg(withExif: block), named: "x.jpg"),
            write(ImageFixtures.png(withExif: block), named: "x.png"),
            write(ImageFixtures.webp(withExif: block), named: "x.webp"),
        ]
        let json = try runExiftool(["-j", "-n", "-Orientation", "-Model", "-DateTimeOriginal"] + paths)
        let records = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        #expect(records.count == 3)
        for (path, record) in zip(paths, records) {
            let ours = try ExifFacts.read(from: path)
            #expect(record["Orientation"] as? Int == ours.orientation, "\(path)")
            #expect(record["Model"] as? String == ours.model, "\(path)")
            #expect(record["DateTimeOriginal"] as? String == "2022:03:04 05:06:07", "\(path)")
            #expect(ours.captureDate?.description == "2022-03-04T05:06:07")
        }
    }

    @Test func imageWithoutExifHasOrientationOne() throws {
        defer { cleanUp() }
        let path = try write(ImageFixtures.jpeg(), named: "plain.jpg")
        #expect(try ExifFacts.read(from: path) == .none)
        let text = try write(Array("not an image".utf8), named: "notes.txt")
        #expect(try ExifFacts.read(from: text) == .none)
    }

    @Test(arguments: [0, 9, 65535])
    func orientationOutOfRangeFallsBackToOne(value: Int) throws {
        let block = ImageFixtures.exifBlock([.short(EXIF_TAG_ORIENTATION, UInt16(value), bigEndian: false)])
        #expect(ExifFacts.parse(exifBlock: block)?.orientation == 1)
    }

    @Test func orientationStoredAsTextIsIgnored() throws {
        let block = ImageFixtures.exifBlock([.ascii(EXIF_TAG_ORIENTATION, "6"), .ascii(EXIF_TAG_MODEL, "Liar")])
        let facts = try #require(ExifFacts.parse(exifBlock: block))
        #expect(facts.orientation == 1)
        #expect(facts.model == "Liar")
    }

    @Test func missingFileIsAnErrorNamingIt() {
        let path = folder.appendingPathComponent("absent.jpg").path
        #expect {
            try ExifFacts.read(from: path)
        } throws: { error in
            guard case .cannotRead(let named, _) = error as? ExifError else { return false }
            return named == path && "\(error)".contains(path)
        }
    }

    @Test func segmentLengthPastTheEndIsAnErrorNamingTheFile() throws {
        defer { cleanUp() }
        let block = ImageFixtures.exifBlock([.short(EXIF_TAG_ORIENTATION, 6, bigEndian: false)])
        let full = ImageFixtures.jpeg(withExif: block)
        let path = try write(Array(full.prefix(6 + block.count / 2)), named: "cut.jpg")  // inside the APP1 segment
        #expect {
            try ExifFacts.read(from: path)
        } throws: { error in
            guard case .malformedContainer(let named, _) = error as? ExifError else { return false }
            return named == path
        }
    }

    @Test func garbageExifBlockIsAnErrorNamingTheFile() throws {
        defer { cleanUp() }
        let garbage: [UInt8] = Array("Exif".utf8) + [0, 0] + Array("MM\u{0}*junkjunkjunk".utf8)
        let path = try write(ImageFixtures.jpeg(withExif: garbage), named: "garbage.jpg")
        #expect(throws: ExifError.unreadableExif(path: path)) { try ExifFacts.read(from: path) }
    }

    @Test func truncatedExifBlocksNeverCrash() throws {
        let block = ImageFixtures.exifBlock([
            .short(EXIF_TAG_ORIENTATION, 5, bigEndian: false), .ascii(EXIF_TAG_MAKE, "Cut"),
            .ascii(EXIF_TAG_MODEL, "Short Model"), .ascii(EXIF_TAG_DATE_TIME_ORIGINAL, "2001:02:03 04:05:06", ifd: EXIF_IFD_EXIF),
        ])
        var readable = 0
        for length in 0...block.count {
            if let facts = ExifFacts.parse(exifBlock: Array(block.prefix(length))) {
                #expect((1...8).contains(facts.orientation))
                readable += 1
            }
        }
        #expect(ExifFacts.parse(exifBlock: block)?.orientation == 5)
        #expect(readable > 0)
    }

    @Test func fuzzedExifInJPEGNeverCrashes() throws {
        let block = ImageFixtures.exifBlock([
            .short(EXIF_TAG_ORIENTATION, 7, bigEndian: true), .ascii(EXIF_TAG_MAKE, "Fuzz"),
            .ascii(EXIF_TAG_MODEL, "Fuzz Model 9000"),
            .ascii(EXIF_TAG_DATE_TIME_ORIGINAL, "2015:10:21 16:29:00", ifd: EXIF_IFD_EXIF),
            .long(EXIF_TAG_PIXEL_X_DIMENSION, 1920, ifd: EXIF_IFD_EXIF, bigEndian: true),
            .short(EXIF_TAG_PIXEL_Y_DIMENSION, 1080, ifd: EXIF_IFD_EXIF, bigEndian: true),
        ], bigEndian: true)
        let original = ImageFixtures.jpeg(withExif: block)
        let exifRange = 6..<(6 + block.count)  // SOI + APP1 marker and length precede the block
        var random = SplitMix64(seed: 0x5EED_1DEA)
        var outcomes = (facts: 0, errors: 0)
        for round in 0..<4000 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 8)) {
                let index = exifRange.lowerBound + Int(random.next() % UInt64(exifRange.count))
                switch random.next() % 4 {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes[index] ^= 1 << UInt8(random.next() % 8)
                case 2: bytes[index] = [0x00, 0xFF, 0x7F, 0x80][Int(random.next() % 4)]
                default: bytes.removeSubrange(index..<min(bytes.count, index + Int(random.next() % 64)))
                }
            }
            if round % 10 == 0 { bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count)))) }
            let path = "/fuzz/\(round).jpg"
            do {
                let facts = try ExifFacts.read(imageData: Data(bytes), path: path)
                #expect((1...8).contains(facts.orientation))
                outcomes.facts += 1
            } catch {
                #expect("\(error)".contains(path))
                outcomes.errors += 1
            }
        }
        #expect(outcomes.facts + outcomes.errors == 4000)
        #expect(outcomes.facts > 0)
    }
}

/// Runs the real exiftool and returns its standard output.
func runExiftool(_ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return output
}
