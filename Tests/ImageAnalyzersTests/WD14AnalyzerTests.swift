import ContentAnalysis
import Foundation
import Imaging
import Testing

@testable import ImageAnalyzers

/// The shipped WD14 analyzer, run for real through the protocol on a tiny model with the real shapes; needs the venv
/// that `analyzers/wd14/install.sh --with-tests` (or `analyzers/wd14/run_tests.sh`) makes.
@Suite(.enabled(if: WD14Venv.isReady, "analyzers/wd14/.venv is missing: run analyzers/wd14/install.sh --with-tests"))
struct WD14AnalyzerTests {
    static let directory = WD14Venv.directory
    static let python = WD14Venv.python

    /// Builds the tiny model with the venv's `onnx` package.
    static func tinyModel(in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [directory.appendingPathComponent("tests/make_tiny_model.py").path, folder.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CaptionFailure(description: "make_tiny_model.py failed") }
        return folder.path
    }

    @Test func realWD14AnalyzerTagsThroughTheProtocol() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-wd14-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try Self.tinyModel(in: folder.appendingPathComponent("model"))
        // A tall blue strip: padded to a square, two thirds of the model's input is white.
        let blue = PixelImage(width: 30, height: 90, layout: .rgb, pixels: Array([UInt8]([0, 0, 255]).repeating(30 * 90)))
        let path = folder.appendingPathComponent("blue.png").path
        try ImageEncoder.write(blue, as: .png, to: path)
        let analyzer = AnalyzerProcess(AnalyzerCommand(
            name: "wd14",
            arguments: [Self.python, Self.directory.appendingPathComponent("wd14_analyzer.py").path, "--model", model,
                        "--character-threshold", "0.75"],
            startupTimeout: .seconds(60), imageTimeout: .seconds(30)))
        let outcome = await analyzer.analyze(AnalysisRequest(path: path, sha256: String(repeating: "0", count: 64), width: 30, height: 90))
        let answer = try #require(outcome.answer, "\(outcome)")
        let byName = Dictionary(uniqueKeysWithValues: answer.tags.map { ($0.name, $0) })
        #expect(byName["blue sky"]?.category == "general")
        #expect(byName["white background"] != nil)
        #expect(byName["^_^"] != nil)
        #expect(byName["hatsune miku"]?.category == "character")
        #expect(byName["vocaloid"]?.category == "copyright")
        #expect(answer.rating == "sensitive")
        let missing = await analyzer.analyze(AnalysisRequest(path: folder.appendingPathComponent("nope.png").path, sha256: "", width: 1, height: 1))
        guard case .notAnalyzed(let reason) = missing else {
            Issue.record("a missing file was analyzed")
            return
        }
        #expect(reason.contains("wd14") && reason.contains("No such file"))
        #expect(await analyzer.startCount == 1)
        await analyzer.shutdown()
    }
}

/// Where the shipped analyzer and its venv live in the checkout.
enum WD14Venv {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("analyzers/wd14")
    static let python = directory.appendingPathComponent(".venv/bin/python").path
    static let isReady = FileManager.default.isExecutableFile(atPath: python)
}

extension Array {
    func repeating(_ count: Int) -> [Element] { (0..<count).flatMap { _ in self } }
}
