// Normalizes a dataset folder with a preset and prints wall time and peak memory; `run.sh` runs it beside the
// Python peer (`peer_normalize.py`) on copies of the same generated captions.
//
//   bench-normalize DIR --preset NAME|PATH [--engine-only]
//
// Without --engine-only: the real `sluice normalize` path (scan, read, normalize, back up and atomically rewrite
// every changed caption). With --engine-only: scan and read, then the rules in memory; nothing written.
import Foundation
import Glibc
import TagNormalization

func seconds(since start: timespec) -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
}

func now() -> timespec {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return time
}

/// CPU seconds (user + system, all threads) used by the process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

var arguments = Array(CommandLine.arguments.dropFirst())
let engineOnly = arguments.contains("--engine-only")
arguments.removeAll { $0 == "--engine-only" }
guard arguments.count == 3, arguments[1] == "--preset" else {
    FileHandle.standardError.write(Data("usage: bench-normalize DIR --preset NAME|PATH [--engine-only]\n".utf8))
    exit(2)
}
let folder = URL(fileURLWithPath: arguments[0])

do {
    let start = now()
    let preset = try PresetLibrary.standard().load(arguments[2])
    var normalizer = DatasetNormalizer(preset: preset, previewLimit: 0)
    // BENCH_FLUSH=fsync compares fsyncs from the worker threads with the default single syncfs per batch.
    if ProcessInfo.processInfo.environment["BENCH_FLUSH"] == "fsync" { normalizer.flush = .fsyncEach }
    if engineOnly {
        let contents = try CaptionFolder(root: folder).scan()
        let texts = try contents.captions.map { path in
            try CaptionText.decode(FileManager.default.contents(atPath: folder.path + "/" + path) ?? Data(), path: path)
        }
        let readTime = seconds(since: start)
        let engineStart = now()
        let engineCPUStart = cpuSeconds()
        let result = normalizer.normalize(paths: contents.captions, texts: texts)
        let engineTime = seconds(since: engineStart)
        let engineCPU = cpuSeconds() - engineCPUStart
        print(String(format: "swift  engine-only: %d captions, %d would change; read %.3f s, rules %.3f s (%.3f s CPU), total %.3f s, peak %.0f MiB",
                     result.report.captionCount, result.report.filesChanged, readTime, engineTime, engineCPU, seconds(since: start), peakMemoryMiB()))
    } else {
        let backups = folder.appendingPathComponent(".sluice-backups/bench")
        let report = try normalizer.normalizeFolder(at: folder, backupDirectory: backups, dryRun: false)
        print(String(format: "swift  end-to-end: %d captions, %d changed; total %.3f s, peak %.0f MiB",
                     report.captionCount, report.filesChanged, seconds(since: start), peakMemoryMiB()))
    }
} catch {
    FileHandle.standardError.write(Data("bench-normalize: \(error)\n".utf8))
    exit(1)
}
