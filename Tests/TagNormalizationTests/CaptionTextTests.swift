import Foundation
import Testing
@testable import TagNormalization

@Suite struct CaptionTextTests {
    @Test(arguments: [
        ("\u{FEFF}1girl, solo", ["1girl", "solo"]),
        ("1girl, solo\r\n", ["1girl", "solo"]),
        ("1girl, solo,", ["1girl", "solo"]),
        ("1girl,, ,solo, ,", ["1girl", "solo"]),
        ("1girl,   long    hair", ["1girl", "long hair"]),
        ("1girl,\u{00A0}solo\u{00A0}", ["1girl", "solo"]),
        ("", []),
    ])
    func realCaptionsParseToTheirTags(text: String, keys: [String]) {
        let caption = CaptionText.parse(text)
        #expect(caption.main.map(\.key) == keys)
        #expect(caption.warnings.isEmpty)
    }

    @Test func severalLinesAreJoinedWithAWarning() {
        let caption = CaptionText.parse("1girl, solo\r\nsmile\n\nupper body")
        #expect(caption.main.map(\.key) == ["1girl", "solo", "smile", "upper body"])
        #expect(caption.warnings == ["3 lines joined into one"])
    }

    @Test func tagsAfterTheMarkerAreOptional() {
        let caption = CaptionText.parse("1girl, smile, #optional, power lines, #OPTIONAL, tree")
        #expect(caption.main.map(\.key) == ["1girl", "smile"])
        #expect(caption.optional.map(\.key) == ["power lines", "tree"])
        #expect(caption.warnings == ["a second #optional marker was dropped"])
    }

    @Test func nonUTF8BytesNameTheFileAndOffset() throws {
        let bytes: [UInt8] = Array("1girl, ".utf8) + [0xFF, 0xFE] + Array("smile".utf8)
        #expect(throws: CaptionReadError.notUTF8(path: "/data/a.txt", byteOffset: 7)) {
            try CaptionText.decode(bytes, path: "/data/a.txt")
        }
        let message = CaptionReadError.notUTF8(path: "/data/a.txt", byteOffset: 7).description
        #expect(message.contains("/data/a.txt") && message.contains("UTF-8"))
    }

    @Test func readingAFileStripsTheBOM() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("a.txt", [0xEF, 0xBB, 0xBF] + Array("1girl, solo\r\n".utf8))
        let caption = try CaptionText.read(from: folder.url.appendingPathComponent("a.txt"))
        #expect(caption.main.map(\.key) == ["1girl", "solo"])
    }
}
