import Configuration
import Foundation
import Testing

@testable import ImageAnalyzers

@Suite struct AnalyzeConfigTests {
    @Test(arguments: [
        ("true", AutotagMode.civitai), ("false", .off), ("civitai", .civitai), ("local", .local), ("off", .off), ("yes", .civitai),
    ])
    func autotagReadsModesAndOldBooleans(value: String, expected: AutotagMode) throws {
        let analyzer = "analyze:\n  analyzers:\n    - name: a\n      command: [a]\n"
        let config = try SluiceConfig.parse("pipeline:\n  autotag: \(value)\n" + analyzer, file: "s.yaml")
        #expect(config.pipeline.autotagMode == expected)
        #expect(config.pipeline.autotag == (expected == .civitai))
    }

    @Test func unknownAutotagModeNamesTheLineAndTheChoices() {
        #expect {
            try SluiceConfig.parse("pipeline:\n  autotag: maybe\n", file: "s.yaml")
        } throws: { error in
            "\(error)".contains("s.yaml:2") && "\(error)".contains("civitai, local, off")
        }
    }

    @Test func localAutotagWithoutAnAnalyzerIsAConfigError() {
        #expect {
            try SluiceConfig.parse("pipeline:\n  autotag: local\n", file: "s.yaml")
        } throws: { error in
            "\(error)".contains("pipeline.autotag") && "\(error)".contains("analyze.analyzers")
        }
    }

    @Test func snapshotsWrittenWithABooleanStillDecode() throws {
        var json = String(decoding: try JSONEncoder().encode(SluiceConfig()), as: UTF8.self)
        #expect(json.contains(#""autotag":"civitai""#))
        json = json.replacingOccurrences(of: #""autotag":"civitai""#, with: #""autotag":false"#)
        #expect(try JSONDecoder().decode(SluiceConfig.self, from: Data(json.utf8)).pipeline.autotagMode == .off)
    }

    @Test func analyzersListBecomesCommandsWithTheTimeouts() throws {
        let text = """
            analyze:
              analyzers:
                - name: wd14
                  command: [python3, wd14_analyzer.py, --model, /models/wd]
                - name: caption
                  command: [my-captioner]
              timeout_seconds: 5
              max_restarts: 1
              min_confidence: 0.4
            """
        let config = try SluiceConfig.parse(text, file: "s.yaml")
        let set = AnalyzerSet(config: config.analyze)
        #expect(set.processes.map(\.command.name) == ["wd14", "caption"])
        #expect(set.processes[0].command.arguments == ["python3", "wd14_analyzer.py", "--model", "/models/wd"])
        #expect(set.processes[0].command.imageTimeout == .seconds(5) && set.processes[0].command.maximumRestarts == 1)
        #expect(set.minimumConfidence == 0.4)
    }

    @Test(arguments: [
        "analyze:\n  analyzers:\n    - name: a\n",
        "analyze:\n  analyzers:\n    - name: a\n      command: [x]\n    - name: a\n      command: [y]\n",
        "analyze:\n  analyzers:\n    - name: a\n      command: [x]\n      colour: red\n",
        "analyze:\n  analyzers: wd14\n",
    ])
    func badAnalyzerEntriesAreErrorsWithALine(text: String) {
        #expect {
            try SluiceConfig.parse(text, file: "s.yaml")
        } throws: { error in
            "\(error)".contains("s.yaml:") && "\(error)".contains("analyze.analyzers")
        }
    }

    @Test func defaultConfigFileParsesToTheDefaults() throws {
        let parsed = try SluiceConfig.parse(DefaultConfigFile.text(), file: "default.yaml")
        #expect(parsed.analyze == SluiceConfig.AnalyzeSection())
        #expect(parsed.pipeline.autotagMode == .civitai)
    }
}
