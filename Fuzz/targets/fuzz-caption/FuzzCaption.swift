@testable import TagNormalization

/// libFuzzer entry: caption decoding and parsing, and one normalization pass with the built-in rules.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCaption(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let text = try? CaptionText.decode(bytes, path: "fuzz.txt") else { return 0 }
    let caption = CaptionText.parse(text)
    for tag in caption.main + caption.optional {
        // The documented rule: no tag carries a control character after parsing.
        if tag.key.unicodeScalars.contains(where: { CaptionText.isRefusedControl($0) }) {
            fatalError("a control character survived parsing")
        }
    }
    return 0
}
