import Foundation

/// The kitty graphics protocol: a PNG sent in base64 chunks of at most 4096 bytes inside APC escapes.
public enum KittyGraphics {
    /// Shows `png` at the cursor without moving it (`C=1`), replies suppressed (`q=2`).
    public static func encode(png: [UInt8]) -> String {
        let encoded = Data(png).base64EncodedString()
        var output = ""
        output.reserveCapacity(encoded.utf8.count + encoded.utf8.count / 4096 * 16 + 64)
        var start = encoded.startIndex
        var first = true
        repeat {
            let end = encoded.index(start, offsetBy: 4096, limitedBy: encoded.endIndex) ?? encoded.endIndex
            let more = end < encoded.endIndex ? 1 : 0
            output += first ? "\u{1B}_Ga=T,f=100,q=2,C=1,m=\(more);" : "\u{1B}_Gm=\(more);"
            output += encoded[start..<end]
            output += "\u{1B}\\"
            first = false
            start = end
        } while start < encoded.endIndex
        return output
    }

    /// Deletes every image placement on the screen (before drawing the next one).
    public static let deleteAll = "\u{1B}_Ga=d,q=2\u{1B}\\"
}
