import Foundation

/// The real exiftool's view of a file (`exiftool -j -G1 -struct`), for tests that check what other tools read back.
public enum ExiftoolReader {
    public static func fields(of path: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
        process.arguments = ["-j", "-G1", "-struct", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]])?.first ?? [:]
    }

    /// A field's values as strings, whether exiftool wrote one value or a list.
    public static func list(_ value: Any?) -> [String] {
        switch value {
        case let array as [Any]: array.map { "\($0)" }
        case nil: []
        case let single?: ["\(single)"]
        }
    }
}
