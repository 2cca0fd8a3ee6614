/// Makes untrusted names (file names, zip entries) safe to log: one line, no terminal escapes.
public enum LogSafeName {
    /// The name with every control character (C0, DEL, C1) and backslash escaped (`\n`, `\t`, `\\`, `\u{1B}`), so a
    /// newline in a zip entry cannot forge a log line and an escape sequence cannot repaint the terminal.
    public static func escaped(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: needsEscape) else { return name }
        var result = ""
        result.reserveCapacity(name.utf8.count + 8)
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\\": result += "\\\\"
            case _ where needsEscape(scalar): result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A whole log message made one line: control characters escaped as in `escaped(_:)`, backslashes left alone
    /// (names inside it are escaped first), so nothing a user named can add a line to a log.
    public static func oneLine(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: { $0 != "\\" && needsEscape($0) }) else { return message }
        var result = ""
        for scalar in message.unicodeScalars {
            if scalar != "\\" && needsEscape(scalar) { result += escaped(String(scalar)) } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\\"
            || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
