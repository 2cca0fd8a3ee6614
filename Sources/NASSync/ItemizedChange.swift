/// One line of rsync's `--itemize-changes` output (`%i %n%L`): what happened to which path.
public struct ItemizedChange: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A regular file's content was (or, in a dry run, would be) transferred.
        case fileSent
        /// A file or folder was (or would be) deleted on the receiver.
        case deleted
        /// Anything else: a folder created, attributes only, a symlink.
        case other
    }

    public var kind: Kind
    /// The path relative to the transfer's source, as rsync prints it (`\#ooo` escapes decoded).
    public var path: String
    /// The 11 flag characters (`<f+++++++++`, `*deleting`).
    public var flags: String

    /// Parses one line; nil for lines that are not itemized changes (progress, messages, blank lines).
    public init?(line: some StringProtocol) {
        let characters = Array(line)
        guard characters.count > 12, characters[11] == " " else { return nil }
        let flags = String(characters[0..<11])
        let name = ItemizedChange.decodeEscapes(String(characters[12...]))
        if flags.hasPrefix("*deleting") {
            kind = .deleted
        } else if "<>ch.".contains(characters[0]), "fdLDS".contains(characters[1]) {
            kind = (characters[0] == "<" || characters[0] == ">") && characters[1] == "f" ? .fileSent : .other
        } else {
            return nil
        }
        self.flags = flags
        self.path = name
    }

    /// rsync prints bytes it cannot show as `\#ooo` (octal); turns them back into the name's bytes.
    static func decodeEscapes(_ text: String) -> String {
        guard text.contains("\\#") else { return text }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if index + 4 < source.count, source[index] == UInt8(ascii: "\\"), source[index + 1] == UInt8(ascii: "#"),
               let value = UInt8(String(decoding: source[(index + 2)...(index + 4)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 5
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
