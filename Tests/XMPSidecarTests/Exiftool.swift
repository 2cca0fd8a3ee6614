import Foundation

/// The real exiftool, run as a child process.
enum Exiftool {
    struct Failure: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let output: String
        var description: String { "exiftool \(arguments.joined(separator: " ")) exited \(status): \(output)" }
    }

    /// Runs exiftool and returns its standard output; a non-zero exit throws.
    @discardableResult
    static func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(arguments: arguments, status: process.terminationStatus, output: errorText)
        }
        return data
    }

    /// exiftool's `-j -G1 -struct` view of one file, minus the file-system and exiftool entries.
    static func fields(of path: String) throws -> [String: Any] {
        let data = try run(["-j", "-G1", "-struct", path])
        guard let records = try JSONSerialization.jsonObject(with: data) as? [[String: Any]], let record = records.first else {
            return [:]
        }
        return record.filter { key, _ in
            !(key == "SourceFile" || key.hasPrefix("System:") || key.hasPrefix("ExifTool:") || key.hasPrefix("File:"))
        }
    }

    /// A list field as strings (exiftool prints a one-item list as a bare value).
    static func list(_ value: Any?) -> [String] {
        switch value {
        case let array as [Any]: array.map { "\($0)" }
        case nil: []
        case let single?: ["\(single)"]
        }
    }

    /// A JSON value rendered canonically, so two exiftool views can be compared field by field.
    static func canonical(_ value: Any) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }
}
