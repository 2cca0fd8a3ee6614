// bench-phash: perceptual hashes of 300 mixed JPEG/PNG/WebP images (~1 MP) with Sluice's Imaging module, using both
// cores, beside Python's `imagehash.phash` with Pillow on the same files; prints images/second, where our time goes,
// how closely the two hashes agree, and the time to match a 1,000-entry result against its manifest.
//
// Usage: Benchmarks/bench-phash/run.sh [RUNS] (makes the Python venv, builds, runs), or build and run it yourself:
// swift build -c release --product bench-phash && .build/release/bench-phash
// Needs python3 with Pillow and imagehash (pip install pillow imagehash). Images are cached in Benchmarks/.data/.
import Dispatch
import Foundation
import Imaging
import ResultMatching

let dataRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".data").path
/// BENCH_PHASH_DATASET=folder hashes the JPEG/PNG/WebP files of that folder instead of the generated set (e.g. the
/// end-to-end benchmark's images, whose PNGs are Paeth-filtered as Pillow writes them).
let customDataset = ProcessInfo.processInfo.environment["BENCH_PHASH_DATASET"]
let dataset = customDataset ?? dataRoot + "/phash-dataset"
let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]
let imageCount = 300
let fileManager = FileManager.default

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// CPU time of the calling thread, so the per-phase figures hold even when other processes share the cores.
func threadCPU() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Hands out indices to worker threads and gathers per-phase times.
final class Ledger: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var decodeNanos: UInt64 = 0
    private(set) var hashNanos: UInt64 = 0
    private(set) var hashes: [String: PerceptualHash] = [:]
    private(set) var decodeByFormat: [String: UInt64] = [:]

    func claim(below limit: Int) -> Int? {
        lock.withLock {
            guard next < limit else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func record(_ name: String, _ hash: PerceptualHash, decode: UInt64, hashing: UInt64) {
        lock.withLock {
            hashes[name] = hash
            decodeByFormat[(name as NSString).pathExtension, default: 0] += decode
            decodeNanos += decode
            hashNanos += hashing
        }
    }
}

func ensureDataset() throws -> [String] {
    let marker = dataset + "/.complete"
    if customDataset == nil, !fileManager.fileExists(atPath: marker) {
        try? fileManager.removeItem(atPath: dataset)
        try fileManager.createDirectory(atPath: dataset, withIntermediateDirectories: true)
        print("generating \(imageCount) images in \(dataset) …")
        let ledger = Ledger()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while let index = ledger.claim(below: imageCount) {
                let format = ImageFormat.allCases[index % 3]
                let width = 1000 + (index * 41) % 300, height = 800 + (index * 29) % 250
                let image = PixelImage.pattern(width: width, height: height, seed: UInt64(1000 + index), grain: 6)
                let bytes = try! ImageEncoder.encode(image, as: format, quality: 90)
                try! Data(bytes).write(to: URL(fileURLWithPath: String(format: "%@/%03d.%@", dataset, index, format.fileExtension)))
            }
        }
        fileManager.createFile(atPath: marker, contents: Data())
    }
    return try fileManager.contentsOfDirectory(atPath: dataset)
        .filter { !$0.hasPrefix(".") && imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
}

/// Hashes every file with `threads` workers; returns wall seconds and the ledger.
func hashAll(_ files: [String], threads: Int) -> (Double, Ledger) {
    let ledger = Ledger()
    let start = now()
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while let index = ledger.claim(below: files.count) {
            let t0 = threadCPU()
            let gray = try! ImageDecoder.decode(
                path: "\(dataset)/\(files[index])", layout: .gray, minimumSide: PerceptualHash.decodeSide)
            let t1 = threadCPU()
            let hash = PerceptualHash.compute(gray)
            ledger.record(files[index], hash, decode: t1 - t0, hashing: threadCPU() - t1)
        }
    }
    return (Double(now() - start) / 1e9, ledger)
}

let files = try ensureDataset()
for file in files { _ = fileManager.contents(atPath: "\(dataset)/\(file)") }
let counts = Dictionary(grouping: files, by: { ($0 as NSString).pathExtension }).mapValues(\.count)
print("dataset: \(files.count) images \(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")), ~1 MP each")

/// The peer: imagehash.phash(Image.open(path)) in one Python process, as a script would call it; returns wall
/// seconds, CPU seconds and each file's hash.
func runPython() throws -> (Double, Double, [Substring]) {
    let script = """
        import sys, time, os
        from PIL import Image
        import imagehash
        folder = sys.argv[1]
        names = sorted(n for n in os.listdir(folder) if not n.startswith('.') and n.lower().rsplit('.', 1)[-1] in ('jpg', 'jpeg', 'png', 'webp'))
        start, cpu = time.perf_counter(), time.process_time()
        out = [(n, str(imagehash.phash(Image.open(os.path.join(folder, n))))) for n in names]
        print(time.perf_counter() - start, time.process_time() - cpu)
        for n, h in out: print(n, h)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, dataset]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let lines = output.split(separator: "\n")
    let times = lines.first?.split(separator: " ").compactMap { Double($0) } ?? []
    guard process.terminationStatus == 0, times.count == 2 else {
        print("python3 imagehash failed (pip install pillow imagehash)")
        exit(1)
    }
    return (times[0], times[1], Array(lines.dropFirst()))
}

// The machine is shared, so ours and the peer alternate for three rounds and each keeps its best round.
_ = hashAll(files, threads: 2)  // warm-up
var twoThreads = Double.infinity, oneThread = Double.infinity
var pythonSeconds = Double.infinity, pythonCPU = Double.infinity
var ledger = Ledger()
var lines: [Substring] = []
for _ in 0..<3 {
    let (two, twoLedger) = hashAll(files, threads: 2)
    if two < twoThreads { (twoThreads, ledger) = (two, twoLedger) }
    oneThread = min(oneThread, hashAll(files, threads: 1).0)
    let (wall, cpu, hashes) = try runPython()
    pythonSeconds = min(pythonSeconds, wall)
    pythonCPU = min(pythonCPU, cpu)
    lines = hashes
}
var distances: [Int] = []
var distancesByFormat: [String: [Int]] = [:]
for line in lines {
    let parts = line.split(separator: " ")
    if parts.count == 2, let theirs = PerceptualHash(hex: String(parts[1])), let ours = ledger.hashes[String(parts[0])] {
        distances.append(ours.distance(to: theirs))
        distancesByFormat[(String(parts[0]) as NSString).pathExtension, default: []].append(ours.distance(to: theirs))
    }
}

let rate = { (seconds: Double) in Double(files.count) / seconds }
print(String(format: "sluice phash, 2 threads : %.3f s, %.0f images/s", twoThreads, rate(twoThreads)))
print(String(format: "sluice phash, 1 thread  : %.3f s, %.0f images/s", oneThread, rate(oneThread)))
print(String(format: "python imagehash.phash  : %.3f s, %.0f images/s  -> sluice (2 threads) is %.1fx faster",
             pythonSeconds, rate(pythonSeconds), pythonSeconds / twoThreads))
let cpu = Double(ledger.decodeNanos + ledger.hashNanos)
print(String(format: "CPU per image: sluice %.1f ms, python %.1f ms -> %.1fx less CPU per image",
             cpu / 1e6 / Double(files.count), pythonCPU * 1000 / Double(files.count), pythonCPU * 1e9 / cpu))
print(String(format: "where sluice's time goes (CPU, both threads): read+decode %.0f%% (%.2f ms/image), resize+DCT %.0f%% (%.3f ms/image)",
             100 * Double(ledger.decodeNanos) / cpu, Double(ledger.decodeNanos) / 1e6 / Double(files.count),
             100 * Double(ledger.hashNanos) / cpu, Double(ledger.hashNanos) / 1e6 / Double(files.count)))
print("read+decode per image by format: " + ledger.decodeByFormat.sorted { $0.key < $1.key }.map {
    String(format: "%@ %.2f ms", $0.key, Double($0.value) / 1e6 / Double(counts[$0.key] ?? 1))
}.joined(separator: ", "))
let sortedDistances = distances.sorted()
print(String(format: "agreement with imagehash over %d images: mean %.2f bits, median %d, max %d of 64",
             distances.count, Double(distances.reduce(0, +)) / Double(max(1, distances.count)),
             sortedDistances.isEmpty ? -1 : sortedDistances[sortedDistances.count / 2], sortedDistances.last ?? -1))
print("agreement by format: " + distancesByFormat.sorted { $0.key < $1.key }.map {
    String(format: "%@ mean %.2f, max %d", $0.key, Double($0.value.reduce(0, +)) / Double($0.value.count), $0.value.max() ?? -1)
}.joined(separator: "; "))

// Matching a 1,000-entry result against its manifest, after hashing: the 300 real hashes plus 700 synthetic ones;
// every tenth result re-encoded (new SHA-256, half size, a few bits of hash drift), all renamed and shuffled.
var generator = SystemRandomNumberGenerator()
var manifest: [ManifestEntry] = []
for index in 0..<1000 {
    let real = index < files.count ? ledger.hashes[files[index]]?.value : nil
    manifest.append(ManifestEntry(
        originalPath: "set/image_\(index).png", sha256: "sha-\(index)", size: 1 << 20, width: 1000 + index % 300,
        height: 800 + index % 200, perceptualHash: real ?? UInt64.random(in: 0...UInt64.max, using: &generator)))
}
var results: [ResultImage] = []
for (position, index) in Array(0..<1000).shuffled().enumerated() {
    let entry = manifest[index]
    let name = ResultLayout.entryName(index: position, originalExtension: "png")
    results.append(index % 10 == 0
        ? ResultImage(name: name, sha256: "new-\(index)", width: entry.width / 2, height: entry.height / 2, perceptualHash: entry.perceptualHash ^ 0b101)
        : ResultImage(name: name, sha256: entry.sha256, width: entry.width, height: entry.height, perceptualHash: entry.perceptualHash))
}
let matchStart = now()
let report = ResultMatcher.match(manifest: manifest, results: results)
print(String(format: "matching 1,000 result entries against a 1,000-entry manifest: %.1f ms (%d exact, %d perceptual, %d unmatched)",
             Double(now() - matchStart) / 1e6, report.exactCount, report.matches.count - report.exactCount,
             report.unmatchedResults.count + report.ambiguousResults.count))
