import Configuration
import Foundation
import Testing

@Test func defaultConfigFileParsesToTheDefaults() throws {
    let parsed = try SluiceConfig.parse(DefaultConfigFile.text(), file: "sluice.yaml")
    #expect(parsed == SluiceConfig())
}

@Test func extraDownloadDirectoriesRoundTrip() throws {
    let parsed = try SluiceConfig.parse(DefaultConfigFile.text(extraDownloadDirectories: ["/home/a \"b\"/Downloads"]), file: "x")
    #expect(parsed.downloads.extraDirectories == ["/home/a \"b\"/Downloads"])
}

@Test func emptyFileMeansDefaults() throws {
    #expect(try SluiceConfig.parse("", file: "sluice.yaml") == SluiceConfig())
    #expect(try SluiceConfig.parse("# only a comment\n", file: "sluice.yaml") == SluiceConfig())
}

@Test func valuesAreRead() throws {
    let config = try SluiceConfig.parse(
        """
        pipeline:
          autotag: false
        watch:
          settle_ms: 250
        final:
          layout: kohya
          repeats: 5
          optional_tags: drop
          missing_caption: fail
        index:
          recursive: no
        normalize:
          preset: presets/manga.json
        """, file: "sluice.yaml")
    #expect(config.pipeline.autotag == false)
    #expect(config.watch.settleMilliseconds == 250)
    #expect(config.final.layout == .kohya)
    #expect(config.final.repeats == 5)
    #expect(config.final.optionalTags == .drop)
    #expect(config.final.missingCaption == .fail)
    #expect(config.index.recursive == false)
    #expect(config.normalize.preset == "presets/manga.json")
}

struct BrokenConfigCase: Sendable, CustomStringConvertible {
    let text: String
    let line: Int
    let column: Int
    let mentions: String
    var description: String { mentions }
}

@Test(arguments: [
    BrokenConfigCase(text: "watch:\n  settle_ms: [1, 2\n", line: 3, column: 1, mentions: "syntax"),
    BrokenConfigCase(text: "watch:\n  setle_ms: 3\n", line: 2, column: 3, mentions: "unknown key 'watch.setle_ms'"),
    BrokenConfigCase(text: "final:\n  layout: tree\n", line: 2, column: 11, mentions: "flat, kohya"),
    BrokenConfigCase(text: "pipeline:\n  autotag: maybe\n", line: 2, column: 12, mentions: "civitai, local, off"),
    BrokenConfigCase(text: "watch:\n  settle_ms: -5\n", line: 2, column: 14, mentions: "must be from 0"),
    BrokenConfigCase(text: "bogus: 1\n", line: 1, column: 1, mentions: "unknown key 'bogus'"),
    BrokenConfigCase(text: "pipeline: [1]\n", line: 1, column: 11, mentions: "mapping"),
])
func brokenConfigNamesFileLineAndColumn(_ broken: BrokenConfigCase) {
    do {
        _ = try SluiceConfig.parse(broken.text, file: "/root/sluice.yaml")
        Issue.record("expected an error for \(broken.mentions)")
    } catch {
        #expect(error.line == broken.line)
        #expect(error.column == broken.column)
        #expect(error.description.hasPrefix("/root/sluice.yaml:\(broken.line):\(broken.column): "))
        #expect(error.description.contains(broken.mentions))
    }
}

@Test func configWithSecretsReadableByOthersIsRefused() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("sluice.yaml")
    try "lookup:\n  saucenao:\n    api_key: secret123\n".write(to: file, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
    #expect(throws: ConfigError.self) { try SluiceConfig.load(from: file) }
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    let config = try SluiceConfig.load(from: file)
    #expect(config.lookup.saucenaoAPIKey == "secret123")
    #expect(config.withoutSecrets.lookup.saucenaoAPIKey == nil)
}
