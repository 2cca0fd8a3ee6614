import Foundation
import Testing
@testable import Configuration

@Suite struct HostileConfigTests {
    private func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func symlinkToAnOwnerOnlyConfigIsAccepted() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("real.yaml")
        try "lookup:\n  saucenao:\n    api_key: secret123\n".write(to: real, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: real.path)
        let link = directory.appendingPathComponent("sluice.yaml")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        let config = try SluiceConfig.load(from: link)
        #expect(config.lookup.saucenaoAPIKey == "secret123")
    }

    @Test func symlinkToAReadableConfigIsRefusedWithTheTargetsMode() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("real.yaml")
        try "lookup:\n  saucenao:\n    api_key: secret123\n".write(to: real, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: real.path)
        let link = directory.appendingPathComponent("sluice.yaml")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        let error = #expect(throws: ConfigError.self) { try SluiceConfig.load(from: link) }
        #expect(error?.kind == .secretsReadableByOthers(mode: "640"))
        #expect(error?.description.contains("mode 640") == true)
    }

    @Test(arguments: [
        ("pipeline: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000), 1, 75),
        ("index:\n  recursive: " + String(repeating: "{a: ", count: 50_000) + "1" + String(repeating: "}", count: 50_000), 2, 14 + 4 * 64),
    ])
    func configNestedFiftyThousandLevelsIsASyntaxError(text: String, line: Int, column: Int) {
        let error = #expect(throws: ConfigError.self) { try SluiceConfig.parse(text, file: "/r/sluice.yaml") }
        #expect(error?.line == line)
        #expect(error?.column == column)
        #expect(error?.description.contains("nested deeper than 64 levels") == true, "\(String(describing: error))")
    }

    @Test func deepBlockIndentationIsASyntaxError() {
        var text = ""
        for level in 0..<2_000 { text += String(repeating: " ", count: level) + "k\(level):\n" }
        let error = #expect(throws: ConfigError.self) { try SluiceConfig.parse(text, file: "/r/sluice.yaml") }
        #expect(error?.description.contains("indented more than") == true, "\(String(describing: error))")
    }

    @Test func bracketsInsideQuotesAndCommentsDoNotCount() throws {
        let text = "downloads:\n  pattern: \"" + String(repeating: "[", count: 100) + "\"  # " + String(repeating: "{", count: 100) + "\n"
        let config = try SluiceConfig.parse(text, file: "/r/sluice.yaml")
        #expect(config.downloads.pattern == String(repeating: "[", count: 100))
    }

    @Test func maxPixelsHasADefaultAndIsRead() throws {
        #expect(SluiceConfig().index.maxPixels == 100_000_000)
        let config = try SluiceConfig.parse("index:\n  max_pixels: 4000000\n", file: "/r/sluice.yaml")
        #expect(config.index.maxPixels == 4_000_000)
        #expect(throws: ConfigError.self) { try SluiceConfig.parse("index:\n  max_pixels: 0\n", file: "/r/sluice.yaml") }
    }

    @Test func defaultConfigFileStillParsesToTheDefaults() throws {
        #expect(try SluiceConfig.parse(DefaultConfigFile.text(), file: "default") == SluiceConfig())
    }
}
