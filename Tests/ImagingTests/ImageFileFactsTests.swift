import Foundation
import Hashing
import Testing

@testable import Imaging

@Suite("One read of an image file")
struct ImageFileFactsTests {
    /// The single-read facts must equal what the separate readers (digests, header, pHash) find in the same file.
    @Test(arguments: ImageFormat.allCases)
    func factsMatchTheSeparateReaders(format: ImageFormat) throws {
        let folder = try TemporaryFolder()
        let image = PixelImage.pattern(width: 640, height: 400, seed: 31)
        let path = try folder.write("image.\(format.fileExtension)", ImageEncoder.encode(image, as: format))
        let facts = try ImageFileFacts.read(path: path, includeMD5: true)
        #expect(facts.byteCount == (try Data(contentsOf: URL(fileURLWithPath: path))).count)
        #expect(facts.sha256 == (try FileDigest.hex(of: path)))
        #expect(facts.md5 == (try FileDigest.hex(of: path, algorithm: .md5)))
        #expect(facts.header == (try ImageHeader.read(path: path)))
        #expect(facts.orientation == 1)
        #expect(facts.perceptualHash == (try PerceptualHash.compute(path: path)))
        #expect(try ImageFileFacts.read(path: path).md5 == nil)
    }

    @Test func theOrientationReaderTurnsTheHashAndTheSize() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("a.jpg", ImageEncoder.encode(PixelImage.pattern(width: 500, height: 300, seed: 4), as: .jpeg))
        var seen = 0
        let facts = try ImageFileFacts.read(path: path) { bytes in
            seen = bytes.count
            return 6
        }
        #expect(seen == facts.byteCount, "the reader gets the bytes already read")
        #expect(facts.orientation == 6)
        #expect(facts.uprightSize == (300, 500))
        #expect(facts.perceptualHash == (try PerceptualHash.compute(path: path, orientation: 6)))
        #expect(try ImageFileFacts.read(path: path) { _ in 42 }.orientation == 1, "nonsense orientation counts as upright")
    }

    @Test func aCorruptBodyIsAnErrorNamingTheFile() throws {
        let folder = try TemporaryFolder()
        var bytes = try ImageEncoder.encode(PixelImage.pattern(width: 200, height: 200, seed: 2), as: .png)
        bytes.removeLast(bytes.count / 2)
        let path = try folder.write("cut.png", bytes)
        #expect(throws: ImagingError.self) { try ImageFileFacts.read(path: path) }
        do {
            _ = try ImageFileFacts.read(path: path)
        } catch {
            #expect("\(error)".contains(path))
        }
    }
}
