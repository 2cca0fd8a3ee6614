/// A key press as the review screen understands it.
public enum Key: Sendable, Equatable {
    case character(Character)
    case left, right, up, down
    case enter, escape, backspace, tab
    case controlC, controlD
    case unknown
}

/// Turns raw terminal bytes into keys (pure): ASCII, UTF-8 characters, CSI and SS3 arrow sequences.
public enum KeyDecoder {
    public static func decode(_ bytes: [UInt8]) -> [Key] {
        var keys: [Key] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x1B:
                if index + 2 < bytes.count, bytes[index + 1] == 0x5B || bytes[index + 1] == 0x4F {
                    // CSI/SS3: parameters, then a final byte in 0x40–0x7E.
                    var end = index + 2
                    while end < bytes.count, !(0x40...0x7E).contains(bytes[end]) { end += 1 }
                    let final = end < bytes.count ? bytes[end] : 0
                    switch final {
                    case 0x41: keys.append(.up)
                    case 0x42: keys.append(.down)
                    case 0x43: keys.append(.right)
                    case 0x44: keys.append(.left)
                    default: keys.append(.unknown)
                    }
                    index = end + 1
                    continue
                }
                keys.append(.escape)
            case 0x03: keys.append(.controlC)
            case 0x04: keys.append(.controlD)
            case 0x0D, 0x0A: keys.append(.enter)
            case 0x09: keys.append(.tab)
            case 0x7F, 0x08: keys.append(.backspace)
            case 0x20...0x7E: keys.append(.character(Character(UnicodeScalar(byte))))
            case 0xC0...0xF7:
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let slice = Array(bytes[index..<min(index + length, bytes.count)])
                if let text = String(validating: slice, as: UTF8.self), let first = text.first {
                    keys.append(.character(first))
                } else {
                    keys.append(.unknown)
                }
                index += length
                continue
            default: keys.append(.unknown)
            }
            index += 1
        }
        return keys
    }
}
