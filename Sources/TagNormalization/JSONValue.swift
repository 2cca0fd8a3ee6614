import Foundation

/// A JSON value that remembers where it was written, so preset errors can name the line and column.
struct JSONValue: Sendable {
    /// One member of an object, in the order written.
    struct Member: Sendable {
        var key: String
        var keyOffset: Int
        var value: JSONValue
    }

    enum Kind: Sendable {
        case object([Member])
        case array([JSONValue])
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
    }

    var kind: Kind
    /// Byte offset of the value's first character in its source.
    var offset: Int

    /// A short name of the kind, for "expected an array, found a string" messages.
    var kindName: String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "true or false"
        case .null: return "null"
        }
    }
}

/// A JSON syntax error at a byte offset of the source.
struct JSONSyntaxError: Error, Sendable {
    var offset: Int
    var message: String
}

/// A strict JSON (RFC 8259) parser over UTF-8 bytes that records each value's offset.
///
/// Objects and arrays nest at most `maximumDepth` levels: the parser recurses, and a hostile file nested 50,000
/// levels deep would otherwise overflow the stack and kill the process instead of failing with a position.
struct JSONParser {
    /// Far deeper than any preset needs (they nest three levels), far shallower than the stack allows.
    static let maximumDepth = 256

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 BOM is tolerated at the start of a file.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Parses the whole source as one value.
    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw JSONSyntaxError(offset: index, message: "unexpected text after the end of the document") }
        return value
    }

    /// The 1-based line and column (in characters) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in bytes.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw JSONSyntaxError(offset: index, message: "unexpected end of file, expected a value") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try enterContainer()
            defer { depth -= 1 }
            return JSONValue(kind: .object(try parseObject()), offset: start)
        case UInt8(ascii: "["):
            try enterContainer()
            defer { depth -= 1 }
            return JSONValue(kind: .array(try parseArray()), offset: start)
        case UInt8(ascii: "\""): return JSONValue(kind: .string(try parseString()), offset: start)
        case UInt8(ascii: "t"): try expectWord("true"); return JSONValue(kind: .bool(true), offset: start)
        case UInt8(ascii: "f"): try expectWord("false"); return JSONValue(kind: .bool(false), offset: start)
        case UInt8(ascii: "n"): try expectWord("null"); return JSONValue(kind: .null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONValue(kind: .number(try parseNumber()), offset: start)
        default:
            throw JSONSyntaxError(offset: index, message: "unexpected character '\(character(at: index))', expected a value")
        }
    }

    /// Counts one more level of nesting at `index`, refusing to go deeper than `maximumDepth`.
    private mutating func enterContainer() throws(JSONSyntaxError) {
        guard depth < Self.maximumDepth else {
            throw JSONSyntaxError(offset: index, message: "nested deeper than \(Self.maximumDepth) levels")
        }
        depth += 1
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> [JSONValue.Member] {
        index += 1
        var members: [JSONValue.Member] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return members }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw JSONSyntaxError(offset: index, message: "expected a key in double quotes")
            }
            let keyOffset = index
            let key = try parseString()
            if members.contains(where: { $0.key == key }) {
                throw JSONSyntaxError(offset: keyOffset, message: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            try expect(":", "after the key \"\(key)\"")
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONValue.Member(key: key, keyOffset: keyOffset, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw JSONSyntaxError(offset: index, message: "unexpected end of file, expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    throw JSONSyntaxError(offset: index, message: "trailing comma before '}'")
                }
                continue
            }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return members }
            throw JSONSyntaxError(offset: index, message: "expected ',' or '}', found '\(character(at: index))'")
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> [JSONValue] {
        index += 1
        var values: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return values }
        while true {
            skipWhitespace()
            values.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw JSONSyntaxError(offset: index, message: "unexpected end of file, expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    throw JSONSyntaxError(offset: index, message: "trailing comma before ']'")
                }
                continue
            }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return values }
            throw JSONSyntaxError(offset: index, message: "expected ',' or ']', found '\(character(at: index))'")
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = index
        index += 1
        var buffer: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw JSONSyntaxError(offset: start, message: "string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalarValue = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalarValue), index + 1 < bytes.count,
                        bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw JSONSyntaxError(offset: index - 6, message: "\\u escape: a high surrogate must be followed by a low one")
                        }
                        scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else {
                        throw JSONSyntaxError(offset: index - 6, message: "invalid \\u escape")
                    }
                    buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw JSONSyntaxError(offset: index - 2, message: "invalid escape '\\\(character(at: index - 1))' in a string")
                }
            case 0x00...0x1F:
                throw JSONSyntaxError(offset: index, message: "control character (such as a line break) inside a string")
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw JSONSyntaxError(offset: start, message: "string is not closed (missing '\"')")
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
        else { throw JSONSyntaxError(offset: index, message: "expected four hex digits after \\u") }
        index += 4
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> Double {
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        let isStrict = text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil
        guard isStrict, let value = Double(text) else { throw JSONSyntaxError(offset: start, message: "invalid number '\(text)'") }
        return value
    }

    private mutating func expectWord(_ word: String) throws(JSONSyntaxError) {
        let expected = Array(word.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw JSONSyntaxError(offset: index, message: "unexpected character '\(character(at: index))', expected a value")
        }
        index += expected.count
    }

    private mutating func expect(_ character: Character, _ context: String) throws(JSONSyntaxError) {
        guard index < bytes.count, bytes[index] == character.asciiValue! else {
            throw JSONSyntaxError(offset: index, message: "expected '\(character)' \(context)")
        }
        index += 1
    }

    private func character(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }
}
