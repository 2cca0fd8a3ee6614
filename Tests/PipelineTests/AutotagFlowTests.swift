import Foundation
import Glibc
import Testing

/// Steps B–E: the upload zip, a result zip the way CivitAI returns it, every caption back on its original.
@Suite struct AutotagFlowTests {
    static let config = "watch.settle_ms: 0\npipeline.auto_approve_review: true"

    /// A per-image label that tells which original it was written for.
    static func label(_ entry: String) -> String {
        let stem = (entry as NSString).deletingPathExtension
        return "1girl, long_hair, label_\(stem), looking_at_viewer"
    }

    /// CivitAI's answer to an upload zip, with a trigger word and per-image labels.
    @discardableResult
    static func respond(to upload: URL, writingTo result: URL, seed: UInt64) throws -> CivitAISimulator.Outcome {
        try CivitAISimulator.makeResult(
            fromUpload: upload.path, to: result.path,
            options: CivitAISimulator.Options(seed: seed, triggerWord: "mikastyle", label: Self.label))
    }

    static func uploadZip(in root: TestRoot) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: root.folder("to-autotag").path).filter { $0.hasSuffix(".zip") }
        guard names.count == 1 else { throw TestFailure("expected one upload zip, found \(names)") }
        return root.folder("to-autotag").appendingPathComponent(names[0])
    }

    static func status(_ root: TestRoot) async throws -> String {
        try await SluiceProcess.run(["status", root.url.path]).stdout
    }

    @Test func civitaiStyleResultLandsEveryCaptionOnItsOriginal() async throws {
        let root = try await TestRoot(config: Self.config)
        defer { root.remove() }
        let source = try TestDatasets.forAutotag(named: "mika", in: root.url.deletingLastPathComponent(), tag: "mika")
        let originals = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted()
        var originalBytes: [String: Data] = [:]
        for name in originals { originalBytes[name] = try Data(contentsOf: source.appendingPathComponent(name)) }
        try FileManager.default.moveItem(at: source, to: root.folder("inbox").appendingPathComponent("mika"))

        let first = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(first.stdout.contains("WAITING_DOWNLOAD"), "\(first.stdout)\(first.stderr)")
        let upload = try Self.uploadZip(in: root)
        #expect(upload.lastPathComponent.range(of: #"^mika__for_autotag__\d{8}-\d{6}\.zip$"#, options: .regularExpression) != nil)
        #expect(try ZipInspection.unzipTest(upload).ok)
        #expect(Set(try ZipInspection.contents(of: upload).keys) == Set(originals), "images only, under their own names")
        #expect(FileManager.default.fileExists(atPath: upload.deletingPathExtension().path + ".txt"), "instruction file")

        let result = try Self.respond(to: upload, writingTo: root.folder("downloads").appendingPathComponent("4711_training_data.zip"), seed: 42)
        #expect(result.values.filter(\.reencoded).count == 2, "two images over 2048 px come back re-encoded")
        let second = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(second.status == 0, "\(second.stderr)")
        let zip = try #require(root.finalZips().first, "\(second.stdout)\(second.stderr)")
        let entries = try ZipInspection.contents(of: zip)
        for name in originals {
            #expect(entries[name].map { Data($0) } == originalBytes[name], "the original file, not the returned copy: \(name)")
            let caption = String(decoding: entries[(name as NSString).deletingPathExtension + ".txt"] ?? [], as: UTF8.self)
            let expected = result[name].map { $0.caption ?? "" } ?? "?"
            if expected.isEmpty {
                #expect(!caption.contains("label"), "no returned caption means an empty label: \(caption)")
            } else {
                let stem = (name as NSString).deletingPathExtension
                let label = "label " + stem.replacingOccurrences(of: "_", with: " ")
                #expect(caption.contains(label), "\(name) got its own caption: \(caption)")
                #expect(caption.contains("mikastyle"), "the trigger word is kept: \(caption)")
                #expect(!caption.contains("_"), "underscores read as spaces: \(caption)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: root.folder("downloads").appendingPathComponent("4711_training_data.zip").path), "the result leaves downloads/")
    }

    @Test func twoWaitingJobsEachGetTheirOwnResultWhateverTheOrder() async throws {
        let root = try await TestRoot(config: Self.config)
        defer { root.remove() }
        for name in ["alpha", "beta"] {
            let source = try TestDatasets.forAutotag(named: name, in: root.url.deletingLastPathComponent(), tag: name)
            try FileManager.default.moveItem(at: source, to: root.folder("inbox").appendingPathComponent(name))
        }
        _ = try await SluiceProcess.run(["run", root.url.path, "--once"])
        let uploads = try FileManager.default.contentsOfDirectory(atPath: root.folder("to-autotag").path).filter { $0.hasSuffix(".zip") }.sorted()
        #expect(uploads.count == 2)
        // Beta's result arrives first, then alpha's, each under CivitAI's own kind of name.
        for (index, upload) in uploads.reversed().enumerated() {
            _ = try Self.respond(to: root.folder("to-autotag").appendingPathComponent(upload), writingTo: root.folder("downloads").appendingPathComponent("\(900 + index)_training_data.zip"), seed: UInt64(index))
            _ = try await SluiceProcess.run(["run", root.url.path, "--once"])
        }
        let zips = root.finalZips()
        #expect(zips.count == 2)
        for zip in zips {
            let dataset = zip.lastPathComponent.hasPrefix("alpha") ? "alpha" : "beta"
            let other = dataset == "alpha" ? "beta" : "alpha"
            let captions = try ZipInspection.contents(of: zip).filter { $0.key.hasSuffix(".txt") }.map { String(decoding: $0.value, as: UTF8.self) }
            #expect(captions.contains { $0.contains("label \(dataset)") }, "\(dataset) got its own captions")
            #expect(!captions.contains { $0.contains("label \(other)") }, "\(dataset) got none of \(other)'s captions")
        }
    }

    @Test(arguments: HostileZips.Kind.allCases)
    func hostileZipIsRefusedAndTheJobKeepsWaiting(_ kind: HostileZips.Kind) async throws {
        let root = try await TestRoot(config: Self.config)
        defer { root.remove() }
        let source = try TestDatasets.forAutotag(named: "guard", in: root.url.deletingLastPathComponent(), tag: "guard")
        let images = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().map { source.appendingPathComponent($0) }
        let copies = root.url.deletingLastPathComponent().appendingPathComponent("guard-copies-\(UUID().uuidString.prefix(6))")
        try FileManager.default.copyItem(at: source, to: copies)
        defer { try? FileManager.default.removeItem(at: copies) }
        try FileManager.default.moveItem(at: source, to: root.folder("inbox").appendingPathComponent("guard"))
        _ = try await SluiceProcess.run(["run", root.url.path, "--once"])

        let hostile = root.folder("downloads").appendingPathComponent("666_training_data.zip")
        try HostileZips.write(kind, to: hostile, images: images.map { copies.appendingPathComponent($0.lastPathComponent) })
        let run = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(run.stdout.contains("WAITING_DOWNLOAD"), "the job still waits: \(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: root.url.appendingPathComponent("escaped.txt").path))
        #expect(!FileManager.default.fileExists(atPath: root.folder(".sluice").appendingPathComponent("escaped.txt").path))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sluice-absolute-escape.txt"))
        let reason = kind == .truncated ? "\(hostile.path): not taken yet" : "refused \(hostile.path)"
        #expect(run.stderr.contains(reason), "the reason is logged: \(run.stderr)")

        let upload = try Self.uploadZip(in: root)
        try FileManager.default.removeItem(at: hostile)
        _ = try Self.respond(to: upload, writingTo: root.folder("downloads").appendingPathComponent("7_training_data.zip"), seed: 7)
        _ = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(root.finalZips().count == 1, "a good result after the hostile one completes the job")
    }

    @Test func wholeRoundTripAgainstTheRealWatcher() async throws {
        let root = try await TestRoot(config: "watch.settle_ms: 300")
        defer { root.remove() }
        let daemon = try SluiceProcess(["watch", root.url.path])
        defer { daemon.signal(SIGKILL) }
        let source = try TestDatasets.forAutotag(named: "live", in: root.url.deletingLastPathComponent(), tag: "live")
        try FileManager.default.moveItem(at: source, to: root.folder("inbox").appendingPathComponent("live"))
        #expect(await eventually(timeout: 120) { (try? Self.uploadZip(in: root)) != nil }, "\(daemon.stderr)")
        let upload = try Self.uploadZip(in: root)
        // A browser writes the download under a temporary name and renames it when done.
        let partial = root.folder("downloads").appendingPathComponent("55_training_data.zip.crdownload")
        _ = try Self.respond(to: upload, writingTo: partial, seed: 5)
        try FileManager.default.moveItem(at: partial, to: root.folder("downloads").appendingPathComponent("55_training_data.zip"))
        let review = root.folder("review").appendingPathComponent("live")
        #expect(await eventually(timeout: 120) { FileManager.default.fileExists(atPath: review.appendingPathComponent("REVIEW.md").path) }, "\(daemon.stderr)")
        FileManager.default.createFile(atPath: review.appendingPathComponent("RESUME").path, contents: nil)
        #expect(await eventually(timeout: 120) { root.finalZips().count == 1 }, "\(daemon.stderr)")
        let zip = try #require(root.finalZips().first)
        #expect(try ZipInspection.unzipTest(zip).ok)
        let captions = try ZipInspection.contents(of: zip).filter { $0.key.hasSuffix(".txt") }.map { String(decoding: $0.value, as: UTF8.self) }
        #expect(captions.filter { $0.contains("label live") }.count == 4, "four captions came back, one was missing: \(captions)")
    }
}
