import ContentAnalysis
import Foundation
import Testing

@testable import ImageAnalyzers

@Suite final class AnalyzerProcessTests {
    let folder: URL

    deinit { try? FileManager.default.removeItem(at: folder) }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-analyzers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func request(_ name: String) -> AnalysisRequest {
        AnalysisRequest(path: folder.appendingPathComponent(name).path, sha256: String(repeating: "ab", count: 32), width: 640, height: 480)
    }

    func process(_ script: String, _ name: String, timeout: Duration = .seconds(10), restarts: Int = 3) throws -> AnalyzerProcess {
        AnalyzerProcess(AnalyzerCommand(
            name: name, arguments: try AnalyzerScripts.command(script, named: name, in: folder),
            startupTimeout: .seconds(20), imageTimeout: timeout, maximumRestarts: restarts))
    }

    @Test func goodAnalyzerAnswersEveryImageFromOneProcess() async throws {
        let analyzer = try process(AnalyzerScripts.good, "good")
        for index in 0..<5 {
            let answer = try #require(await analyzer.analyze(request("img\(index).png")).answer)
            #expect(answer.tags.map(\.name) == ["tester", "from img\(index)", "faint"])
            #expect(answer.tags.first?.category == "character")
            #expect(answer.rating == "general" && answer.ratingConfidence == 0.9)
            #expect(answer.description == "640x480 abababab")
        }
        #expect(await analyzer.startCount == 1)
        await analyzer.shutdown()
    }

    @Test func concurrentCallersEachGetTheirOwnAnswer() async throws {
        let analyzer = try process(AnalyzerScripts.good, "good")
        let names = (0..<8).map { "c\($0).png" }
        let answers = await withTaskGroup(of: (String, AnalyzerOutcome).self) { group in
            for name in names {
                let request = request(name)
                group.addTask { (name, await analyzer.analyze(request)) }
            }
            var collected: [String: AnalyzerOutcome] = [:]
            for await (name, outcome) in group { collected[name] = outcome }
            return collected
        }
        for name in names {
            let stem = (name as NSString).deletingPathExtension
            #expect(answers[name]?.answer?.tags.contains { $0.name == "from " + stem } == true)
        }
        await analyzer.shutdown()
    }

    @Test func analyzerErrorAnswerIsNotAnalyzedAndTheProcessGoesOn() async throws {
        let analyzer = try process(AnalyzerScripts.good, "good")
        #expect(await analyzer.analyze(request("unreadable1.png")) == .notAnalyzed(reason: "analyzer good: cannot read unreadable1"))
        #expect(await analyzer.analyze(request("fine.png")).answer != nil)
        #expect(await analyzer.startCount == 1)
        await analyzer.shutdown()
    }

    @Test func crashMidRunRecordsTheReasonAndRestarts() async throws {
        let analyzer = try process(AnalyzerScripts.crashesOnThird, "crashy")
        #expect(await analyzer.analyze(request("1.png")).answer != nil)
        #expect(await analyzer.analyze(request("2.png")).answer != nil)
        guard case .notAnalyzed(let reason) = await analyzer.analyze(request("3.png")) else {
            Issue.record("the crash was not reported")
            return
        }
        #expect(reason.contains("exited with status 3"))
        #expect(reason.contains("RuntimeError: model exploded"))
        #expect(await analyzer.analyze(request("4.png")).answer != nil)
        #expect(await analyzer.startCount == 2)
        await analyzer.shutdown()
    }

    @Test func hangIsCutOffByTheTimeoutAndTheAnalyzerRestarted() async throws {
        let analyzer = try process(AnalyzerScripts.hangsOnSecond, "hangs", timeout: .milliseconds(800))
        #expect(await analyzer.analyze(request("1.png")).answer != nil)
        let start = ContinuousClock.now
        guard case .notAnalyzed(let reason) = await analyzer.analyze(request("2.png")) else {
            Issue.record("the hang was not cut off")
            return
        }
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(reason.contains("gave no answer within"))
        #expect(await analyzer.analyze(request("3.png")).answer != nil)
        #expect(await analyzer.startCount == 2)
        await analyzer.shutdown()
    }

    @Test func garbageOutputIsAProtocolViolationAndRestarts() async throws {
        let analyzer = try process(AnalyzerScripts.garbageOnSecond, "garbage")
        #expect(await analyzer.analyze(request("1.png")).answer != nil)
        guard case .notAnalyzed(let reason) = await analyzer.analyze(request("2.png")) else {
            Issue.record("garbage was accepted")
            return
        }
        #expect(reason.contains("broke the protocol") && reason.contains("loading weights"))
        #expect(await analyzer.analyze(request("3.png")).answer != nil)
        #expect(await analyzer.startCount == 2)
        await analyzer.shutdown()
    }

    @Test func analyzerThatNeverStartsIsTurnedOffAfterItsRestarts() async throws {
        let analyzer = try process(AnalyzerScripts.crashesAtStart, "broken", restarts: 2)
        for index in 0..<3 {
            guard case .notAnalyzed(let reason) = await analyzer.analyze(request("\(index).png")) else {
                Issue.record("a dead analyzer answered")
                return
            }
            #expect(reason.contains("exited with status 1") && reason.contains("ImportError"))
        }
        #expect(await analyzer.analyze(request("4.png")) == .notAnalyzed(reason: "analyzer broken is off for this run after 2 restarts"))
        #expect(await analyzer.startCount == 3)
    }

    @Test func analyzerThatIsNeverReadyTimesOut() async throws {
        let analyzer = AnalyzerProcess(AnalyzerCommand(
            name: "sleepy", arguments: try AnalyzerScripts.command(AnalyzerScripts.neverReady, named: "sleepy", in: folder),
            startupTimeout: .milliseconds(500), imageTimeout: .seconds(5), maximumRestarts: 0))
        guard case .notAnalyzed(let reason) = await analyzer.analyze(request("1.png")) else {
            Issue.record("not reported")
            return
        }
        #expect(reason.contains("was not ready within"))
    }

    @Test func missingProgramIsNotAnalyzedWithTheReason() async throws {
        let analyzer = AnalyzerProcess(AnalyzerCommand(name: "ghost", arguments: ["/nonexistent/analyzer"], maximumRestarts: 0))
        guard case .notAnalyzed(let reason) = await analyzer.analyze(request("1.png")) else {
            Issue.record("not reported")
            return
        }
        #expect(reason.contains("ghost") && reason.contains("127"))
    }
}

@Suite struct AnalyzerWireFormatTests {
    @Test func requestLineIsOneJSONObject() throws {
        let line = AnalyzerWireFormat.requestLine(id: 3, AnalysisRequest(path: "/a/b c.png", sha256: "ff", width: 2, height: 1))
        #expect(String(decoding: line, as: UTF8.self) == #"{"height":1,"id":3,"path":"/a/b c.png","sha256":"ff","width":2}"# + "\n")
    }

    @Test(arguments: [
        (#"{"id":1,"tags":[{"tag":"x","category":"sluice","confidence":0.5}]}"#, "category"),
        (#"{"id":1,"tags":[{"tag":"x","category":"General","confidence":0.5}]}"#, "category"),
        (#"{"id":1,"tags":[{"tag":"x","category":"general","confidence":1.5}]}"#, "confidence"),
        (#"{"id":1,"tags":[{"tag":"","category":"general","confidence":0.5}]}"#, "empty"),
        (#"{"tags":[]}"#, "without \"id\""),
        (#"[1,2,3]"#, "not a JSON object"),
        ("\u{1}\u{2}", "not a JSON object"),
    ])
    func invalidAnswersAreViolations(line: String, mentioning: String) {
        guard case .failure(let violation) = AnalyzerWireFormat.decode(Array(line.utf8)) else {
            Issue.record("accepted \(line)")
            return
        }
        #expect(violation.description.contains(mentioning))
    }

    @Test func readyLineMayCarryAnyOtherKeys() {
        #expect(AnalyzerWireFormat.decode(Array(#"{"ready": true, "analyzer": "x", "tags": 10, "size": [448]}"#.utf8)) == .success(.ready))
    }

    @Test func answerTagsAreSortedByConfidence() throws {
        let line = #"{"id":9,"tags":[{"tag":"a","category":"general","confidence":0.4},{"tag":"b","category":"character","confidence":0.9}],"rating":"Explicit"}"#
        guard case .success(.answer(9, let answer)) = AnalyzerWireFormat.decode(Array(line.utf8)) else {
            Issue.record("rejected")
            return
        }
        #expect(answer.tags.map(\.name) == ["b", "a"] && answer.rating == "explicit")
    }
}
