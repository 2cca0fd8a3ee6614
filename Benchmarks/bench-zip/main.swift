// bench-zip: writes a final dataset zip (images stored, captions deflated) with ZipWriter and times it beside
// Info-ZIP's `zip -r` (the usual choice) and `zip -0 -r` on the same ~300 MB of JPEG/PNG/WebP images + captions.
//
// Usage: swift build -c release --product bench-zip && .build/release/bench-zip [dataset-MB] [runs]
// The dataset is generated once with Sluice's own encoders and cached under Benchmarks/.data/zip-dataset/.
// Honest pairing: every contender is a whole process (Sluice re-runs this program in its one-zip mode), they
// alternate round by round on a warm page cache, each runs the same number of times, and medians are compared.
import Dispatch
import Foundation
import Imaging
import ZipArchive

// One-zip mode, the Sluice contender as its own process: `bench-zip --write-one DATASET OUT [--sha256]`.
if CommandLine.arguments.count >= 4, CommandLine.arguments[1] == "--write-one" {
    let source = CommandLine.arguments[2], output = CommandLine.arguments[3]
    let name = (source as NSString).lastPathComponent
    let names = try FileManager.default.contentsOfDirectory(atPath: source).filter { !$0.hasPrefix(".") }.sorted()
    let writer = try ZipWriter(
        path: output, timestamp: DOSTimestamp(year: 2024, month: 1, day: 1),
        computesSHA256: CommandLine.arguments.contains("--sha256"))
    let written = try writer.addFiles(names.map {
        ZipWriter.Entry(sourcePath: "\(source)/\($0)", name: "\(name)/\($0)", compression: $0.hasSuffix(".txt") ? .deflated : .stored)
    })
    try writer.finish()
    precondition(written.count == names.count)
    exit(0)
}

let targetBytes = (CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 300) << 20
let runs = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 3
let dataRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".data").path
let datasetName = "zip-dataset-\(targetBytes >> 20)mb"
let dataset = dataRoot + "/" + datasetName
let fileManager = FileManager.default

let tags = [
    "1girl", "solo", "long_hair", "looking_at_viewer", "smile", "blush", "open_mouth", "short_hair", "blue_eyes",
    "brown_hair", "black_hair", "skirt", "shirt", "school_uniform", "white_shirt", "red_eyes", "outdoors", "sky",
    "cloud", "day", "upper_body", "holding", "hair_ornament", "bow", "jacket", "twintails", "ribbon", "dress",
    "simple_background", "white_background", "standing", "sitting", "full_body", "closed_eyes", "hat", "flower",
]

/// Generates the dataset (once): about a third each of JPEG, PNG and WebP, 0.8–2.4 MP, each with a caption.
func ensureDataset() throws -> [String] {
    let marker = dataset + "/.complete"
    if !fileManager.fileExists(atPath: marker) {
        try? fileManager.removeItem(atPath: dataset)
        try fileManager.createDirectory(atPath: dataset, withIntermediateDirectories: true)
        print("generating ~\(targetBytes >> 20) MB dataset in \(dataset) …")
        let progress = Progress()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while true {
                guard let index = progress.claim() else { return }
                let format = ImageFormat.allCases[index % 3]
                let width = 1000 + (index * 37) % 900, height = 800 + (index * 53) % 700
                let image = PixelImage.pattern(width: width, height: height, seed: UInt64(index), grain: 10)
                let bytes = try! ImageEncoder.encode(image, as: format, quality: 92)
                let name = String(format: "img_%04d", index)
                try! Data(bytes).write(to: URL(fileURLWithPath: "\(dataset)/\(name).\(format.fileExtension)"))
                let caption = (0..<(8 + index % 20)).map { tags[($0 * 7 + index) % tags.count] }.joined(separator: ", ")
                try! Data(caption.utf8).write(to: URL(fileURLWithPath: "\(dataset)/\(name).txt"))
                progress.add(bytes.count + caption.utf8.count)
            }
        }
        fileManager.createFile(atPath: marker, contents: Data())
    }
    return try fileManager.contentsOfDirectory(atPath: dataset).filter { !$0.hasPrefix(".") }.sorted()
}

/// Work shared by the two generator threads: the next index, and bytes written so far.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var total = 0

    func claim() -> Int? {
        lock.withLock {
            guard total < targetBytes else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func add(_ bytes: Int) { lock.withLock { total += bytes } }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func run(_ arguments: [String], in directory: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw NSError(domain: "bench-zip", code: Int(process.terminationStatus)) }
}

let files = try ensureDataset()
let totalBytes = try files.reduce(0) { $0 + ((try fileManager.attributesOfItem(atPath: "\(dataset)/\($1)")[.size] as? Int) ?? 0) }
let images = files.filter { !$0.hasSuffix(".txt") }
print("dataset: \(images.count) images + \(files.count - images.count) captions, \(String(format: "%.1f", Double(totalBytes) / 1_048_576)) MB")

// Warm the page cache so every contender reads from memory.
for file in files { _ = fileManager.contents(atPath: "\(dataset)/\(file)") }

let outDirectory = dataRoot + "/zip-out"
try? fileManager.removeItem(atPath: outDirectory)
try fileManager.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
let ours = outDirectory + "/sluice.zip", deflateAll = outDirectory + "/zip-r.zip", storeAll = outDirectory + "/zip-0-r.zip"

let hashed = outDirectory + "/sluice-sha256.zip"
let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
let contenders: [(label: String, output: String, arguments: [String])] = [
    ("sluice ZipWriter (stored+deflated, fsync)        ", ours, [me, "--write-one", dataset, ours]),
    ("sluice ZipWriter + SHA-256 of every entry, fsync ", hashed, [me, "--write-one", dataset, hashed, "--sha256"]),
    ("zip -r                                           ", deflateAll, ["zip", "-q", "-r", deflateAll, datasetName, "-x", "*/.complete"]),
    ("zip -0 -r                                        ", storeAll, ["zip", "-q", "-0", "-r", storeAll, datasetName, "-x", "*/.complete"]),
]
var times = [[Double]](repeating: [], count: contenders.count)
for _ in 0..<runs {
    for (index, contender) in contenders.enumerated() {
        try? fileManager.removeItem(atPath: contender.output)
        times[index].append(try seconds { try run(contender.arguments, in: dataRoot) })
    }
}
try run(["unzip", "-tq", ours], in: dataRoot)
try run(["unzip", "-tq", hashed], in: dataRoot)

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
func size(_ path: String) -> String {
    let bytes = (try? fileManager.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    return String(format: "%.1f MB", Double(bytes) / 1_048_576)
}
let ourMedian = median(times[0])
print("\(runs) whole-process runs each, alternating, medians (Sluice fsyncs its zip; zip does not):")
for (index, contender) in contenders.enumerated() {
    let all = times[index].map { String(format: "%.3f", $0) }.joined(separator: ", ")
    let ratio = median(times[index]) / ourMedian
    let versus = index == 0 ? "[unzip -t ok]"
        : index == 1 ? String(format: "[unzip -t ok] %.2fx the time without hashes", ratio)
        : String(format: "-> sluice (no hashes) is %.1fx faster", ratio)
    print(String(format: "%@: %.3f s median (%@), %@  %@", contender.label, median(times[index]), all, size(contender.output), versus))
}
try? fileManager.removeItem(atPath: outDirectory)
