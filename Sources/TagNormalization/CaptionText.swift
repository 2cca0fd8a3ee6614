import Foundation

/// Reading caption text that survives real files: BOM, CRLF, several lines, NBSP, empty tags, non-UTF-8 bytes.
public enum CaptionText {
    /// Reads and parses one caption file.
    /// - Throws: `CaptionReadError` naming the file when it cannot be read or is not UTF-8.
    public static func read(from url: URL) throws -> ParsedCaption {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CaptionReadError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return parse(try decode(data, path: url.path))
    }

    /// Decodes caption bytes as UTF-8 (a BOM stays in the text; `parse` drops it, and a file that had one
    /// then counts as changed).
    /// - Throws: `CaptionReadError.notUTF8` naming the file and the offset of the first bad byte.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, path: String) throws(CaptionReadError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CaptionReadError.notUTF8(path: path, byteOffset: firstInvalidOffset(Array(bytes)))
        }
        return text
    }

    /// Splits caption text into tags: lines joined (with a warning), empty tags and runs of spaces dropped,
    /// and the tags after the first `#optional` token put in the optional section.
    public static func parse(_ text: String) -> ParsedCaption {
        var caption = ParsedCaption()
        var isOptional = false
        for raw in rawTokens(of: text, warnings: &caption.warnings) {
            guard let tag = CaptionTag.parse(raw) else { continue }
            if isMarker(tag) {
                if isOptional { caption.warnings.append("a second \(ParsedCaption.optionalMarker) marker was dropped") }
                isOptional = true
            } else if isOptional {
                caption.optional.append(tag)
            } else {
                caption.main.append(tag)
            }
        }
        return caption
    }

    /// Whether a parsed token is the `#optional` marker rather than a tag.
    static func isMarker(_ tag: CaptionTag) -> Bool {
        tag.weight == nil && tag.key == ParsedCaption.optionalMarker
    }

    /// The comma-separated tokens of a caption after joining its lines; empty tokens included.
    static func rawTokens(of text: String, warnings: inout [String]) -> [Substring] {
        var tokens: [Substring] = []
        forEachRawToken(of: text, warnings: &warnings) { tokens.append($0) }
        return tokens
    }

    /// Calls `body` with each non-empty comma-separated token, without collecting them.
    static func forEachRawToken(of text: String, warnings: inout [String], _ body: (Substring) -> Void) {
        var line = oneLine(text, warnings: &warnings)
        line.makeContiguousUTF8()
        let utf8 = line.utf8
        // Commas found on the bytes (a comma is never inside a grapheme); offsets become indices in O(1).
        utf8.withContiguousStorageIfAvailable { bytes in
            var start = 0
            for offset in 0...bytes.count where offset == bytes.count || bytes[offset] == UInt8(ascii: ",") {
                if offset > start {
                    let from = utf8.index(utf8.startIndex, offsetBy: start)
                    let to = utf8.index(from, offsetBy: offset - start)
                    body(line[from..<to])
                }
                start = offset + 1
            }
        }
    }

    /// The caption as one line: BOM dropped, NBSP read as a space, control characters removed (with a warning),
    /// and lines (split at CR, LF or CRLF) joined by commas, with a warning when more than one line holds text
    /// (trainers read only the first line).
    ///
    /// The control-character rule: every C0 control (U+0000–U+001F) except tab, CR and LF, DEL (U+007F) and every
    /// C1 control (U+0080–U+009F) is deleted where it stands, so `so<NUL>lo` reads as `solo` (as an editor shows
    /// it) and a tag of only control characters disappears. Tab stays a space; CR and LF end a line.
    static func oneLine(_ text: String, warnings: inout [String]) -> String {
        var text = text
        text.makeContiguousUTF8()
        let repaired: String? = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            // Only CR, LF, NBSP (C2 A0) and a BOM (EF BB BF) need work; most captions have none of them.
            // Control characters are rare too: C0 (below 0x20 but tab), DEL, and C1 (C2 80...C2 9F).
            guard bytes.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xEF }) else {
                return nil
            }
            var lines: [[UInt8]] = [[]]
            var removedControls = 0
            var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while index < bytes.count {
                let byte = bytes[index]
                if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F {
                    removedControls += 1
                } else if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                    removedControls += 1
                    index += 1
                } else if byte == 0x0A || byte == 0x0D {
                    if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                    lines.append([])
                } else if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 {
                    lines[lines.count - 1].append(0x20)
                    index += 1
                } else {
                    lines[lines.count - 1].append(byte)
                }
                index += 1
            }
            let withText = lines.filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x2C } }
            if withText.count > 1 { warnings.append("\(withText.count) lines joined into one") }
            if removedControls > 0 { warnings.append("\(removedControls) control characters (such as NUL) removed") }
            return String(decoding: Array(withText.joined(separator: [0x2C])), as: UTF8.self)
        } ?? nil
        return repaired ?? text
    }

    /// Whether a scalar is a control character the caption rule removes (C0 but tab, CR and LF; DEL; C1).
    static func isRefusedControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || (0x7F...0x9F).contains(value)
    }

    /// The offset of the first byte that breaks UTF-8, for an error message the user can act on.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset < bytes.count {
            let lead = bytes[offset]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return offset
            }
            if offset + length > bytes.count { return offset }
            if String(validating: bytes[offset..<(offset + length)], as: UTF8.self) == nil { return offset }
            offset += length
        }
        return offset
    }
}
