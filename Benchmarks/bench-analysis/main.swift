// bench-analysis: the built-in content analysis on top of the perceptual-hash decode, in ms/image, on bench-phash's
// 300 mixed JPEG/PNG/WebP images (~1 MP), beside Python Pillow+NumPy computing the same facts; then the WD14
// analyzer's throughput through Sluice's JSON-lines protocol beside the same onnxruntime session called directly in
// one Python loop (with the tiny test model, so the figure is the protocol's and pre-processing's cost, not a real
// model's).
//
// Usage: swift build -c release --product bench-analysis && .build/release/bench-analysis
// Needs analyzers/wd14/.venv with the test packages (analyzers/wd14/install.sh --with-tests) for the Python peer and
// the WD14 part. Images are cached in Benchmarks/.data/phash-dataset (the same set bench-phash makes).
import Configuration
import ContentAnalysis
import Dispatch
import Foundation
import ImageAnalyzers
import Imaging

let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let checkout = benchmarks.deletingLastPathComponent()
let dataset = benchmarks.appendingPathComponent(".data/phash-dataset").path
let wd14 = checkout.appendingPathComponent("analyzers/wd14")
let python = wd14.appendingPathComponent(".venv/bin/python").path
let imageCount = 300

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// CPU time of this process, so the figures hold while other processes share the cores.
func cpu() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Wall and CPU nanoseconds of `body`, and CPU nanoseconds by file extension when `perFile` is used.
func measure(_ body: (_ perFile: (String, () throws -> Void) throws -> Void) throws -> Void) rethrows
    -> (wall: UInt64, cpu: UInt64, byFormat: [String: UInt64])
{
    var byFormat: [String: UInt64] = [:]
    let wall0 = now(), cpu0 = cpu()
    try body { file, work in
        let start = cpu()
        try work()
        byFormat[(file as NSString).pathExtension, default: 0] += cpu() - start
    }
    return (now() - wall0, cpu() - cpu0, byFormat)
}

/// bench-phash's set: the same seeds, sizes and formats, so either benchmark can make it.
func ensureDataset() throws -> [String] {
    let marker = dataset + "/.complete"
    if !FileManager.default.fileExists(atPath: marker) {
        try? FileManager.default.removeItem(atPath: dataset)
        try FileManager.default.createDirectory(atPath: dataset, withIntermediateDirectories: true)
        print("generating \(imageCount) images in \(dataset) …")
        for index in 0..<imageCount {
            let format = ImageFormat.allCases[index % 3]
            let width = 1000 + (index * 41) % 300, height = 800 + (index * 29) % 250
            let image = PixelImage.pattern(width: width, height: height, seed: UInt64(1000 + index), grain: 6)
            try ImageEncoder.write(image, as: format, quality: 90, to: String(format: "%@/%03d.%@", dataset, index, format.fileExtension))
        }
        _ = FileManager.default.createFile(atPath: marker, contents: Data())
    }
    return try FileManager.default.contentsOfDirectory(atPath: dataset).filter { !$0.hasPrefix(".") }.sorted()
}

/// Runs a program and returns its stdout.
func run(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return output
}

func milliseconds(_ nanos: UInt64, per count: Int) -> String { String(format: "%.2f", Double(nanos) / 1e6 / Double(count)) }

let files = try ensureDataset().map { dataset + "/" + $0 }
for file in files { _ = FileManager.default.contents(atPath: file) }
print("dataset: \(files.count) images (JPEG/PNG/WebP, ~1 MP) from \(dataset); one thread")

// 1. The perceptual hash alone (today's index step: luma decode at reduced size).
var lumaHashes: [PerceptualHash] = []
let hashOnly = try measure { perFile in
    for file in files { try perFile(file) { lumaHashes.append(try PerceptualHash.compute(path: file)) } }
}

// 2. The survey: one read, one colour decode, the hash, EXIF and every built-in fact.
var surveys: [ImageSurvey] = []
let survey = try measure { perFile in
    for file in files { try perFile(file) { surveys.append(try ImageSurvey.survey(path: file)) } }
}

// 3. The analysis alone on pixels already decoded (what the facts add once the decode is paid).
let decoded = try files.map { file in
    try ImageDecoder.decode(path: file, layout: file.hasSuffix(".jpg") ? .rgb : .rgba, minimumSide: PerceptualHash.decodeSide)
}
var checksum = 0.0
let analysisOnly = measure { _ in
    for image in decoded { checksum += PixelFacts(measuring: image).colourfulness }
}

let distances = zip(surveys, lumaHashes).map { survey, luma in survey.perceptualHash.map { $0.distance(to: luma) } ?? 64 }
let tags = Dictionary(grouping: surveys.flatMap { $0.content.tags.map(\.name) }, by: { $0 }).mapValues(\.count)
print("")
print("built-in analysis                          ms/image wall   CPU")
print("  pHash only (luma decode)                 \(milliseconds(hashOnly.wall, per: files.count))   \(milliseconds(hashOnly.cpu, per: files.count))")
print("  survey: pHash + EXIF + all facts         \(milliseconds(survey.wall, per: files.count))   \(milliseconds(survey.cpu, per: files.count))   (one read, one colour decode)")
print("  facts alone on decoded pixels            \(milliseconds(analysisOnly.wall, per: files.count))   \(milliseconds(analysisOnly.cpu, per: files.count))")
print("  analysis cost on top of the pHash (CPU)  \(milliseconds(survey.cpu - min(survey.cpu, hashOnly.cpu), per: files.count))")
for format in survey.byFormat.keys.sorted() {
    let count = files.filter { $0.hasSuffix("." + format) }.count
    print("    \(format): pHash \(milliseconds(hashOnly.byFormat[format] ?? 0, per: count)), survey \(milliseconds(survey.byFormat[format] ?? 0, per: count)) ms CPU")
}
print(String(format: "  survey hash vs luma hash: mean %.2f bits, max %d bits apart",
             Double(distances.reduce(0, +)) / Double(distances.count), distances.max() ?? 0))
print("  tags: " + tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))

if FileManager.default.isExecutableFile(atPath: python) {
    let output = try run(python, [benchmarks.appendingPathComponent("bench-analysis/peer_analysis.py").path, dataset])
    let figures = output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    if figures.count >= 2 {
        print(String(format: "  peer: Python Pillow+NumPy, same facts    %.2f   %.2f", figures[0] * 1000 / Double(files.count), figures[1] * 1000 / Double(files.count)))
    }
} else {
    print("  peer: skipped (no \(python); run analyzers/wd14/install.sh --with-tests)")
}

// WD14 through the protocol vs directly.
guard FileManager.default.isExecutableFile(atPath: python) else {
    print("\nWD14: skipped (no \(python))")
    exit(0)
}
let model = benchmarks.appendingPathComponent(".data/wd14-tiny").path
_ = try run(python, [wd14.appendingPathComponent("tests/make_tiny_model.py").path, model])
let analyzer = AnalyzerProcess(AnalyzerCommand(
    name: "wd14", arguments: [python, wd14.appendingPathComponent("wd14_analyzer.py").path, "--model", model],
    startupTimeout: .seconds(120), imageTimeout: .seconds(60)))
// The first request pays for starting Python and loading the model; time the steady state after it.
_ = await analyzer.analyze(AnalysisRequest(path: files[0], sha256: "", width: 1, height: 1))
var start = now()
var analyzed = 0
for (file, survey) in zip(files, surveys) {
    let request = AnalysisRequest(path: file, sha256: "", width: survey.content.width, height: survey.content.height)
    if await analyzer.analyze(request).answer != nil { analyzed += 1 }
}
let protocolSeconds = Double(now() - start) / 1e9
await analyzer.shutdown()
let direct = try run(python, [benchmarks.appendingPathComponent("bench-analysis/direct_wd14.py").path, wd14.path, model, dataset])
let directSeconds = Double(direct.split(separator: " ").first ?? "") ?? .nan
print("")
print("WD14 analyzer (tiny test model with the real 448x448 shapes, so pre-processing dominates)   images/s")
print(String(format: "  through the protocol (AnalyzerProcess)    %.1f   (%d of %d answered)", Double(files.count) / protocolSeconds, analyzed, files.count))
print(String(format: "  peer: same session in one Python loop     %.1f", Double(files.count) / directSeconds))
print(String(format: "  protocol overhead: %.2f ms/image", (protocolSeconds - directSeconds) * 1000 / Double(files.count)))
