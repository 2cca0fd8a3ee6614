// bench-watch: how fast a settled drop is reported, and what idle watching costs, beside named peers.
//
//   swift build -c release --product bench-watch && .build/release/bench-watch [--drops 20] [--settle-ms 2000]
//       [--idle-seconds 60] [--directories 200]
//
// (1) Latency: each drop is a folder written in a few pieces; the figure is the time from the drop settling
//     (its last write + the settle period) to DropDetector yielding it.
// (2) Idle CPU: user+system CPU time of this process while its DropDetector watches a local tree for the idle
//     period, beside `inotifywait -m -r` (inotify-tools, asked for the same events as Sluice, so the poller's
//     directory reads do not wake it) and a naive loop that re-lists the tree every second, all three watching
//     the same tree over the same wall-clock window.
import Foundation
import FolderWatch
import Glibc
import SystemIO

struct Options {
    var drops = 20
    var settle = Duration.milliseconds(2000)
    var idleSeconds = 60
    var directories = 200
    /// Internal: run as the naive polling peer on this folder.
    var naivePollFolder: String?

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            let value = iterator.next() ?? ""
            switch argument {
            case "--drops": drops = Int(value) ?? drops
            case "--settle-ms": settle = .milliseconds(Int(value) ?? 2000)
            case "--idle-seconds": idleSeconds = Int(value) ?? idleSeconds
            case "--directories": directories = Int(value) ?? directories
            case "--naive-poll": naivePollFolder = value
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
    }
}

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

/// This process's user+system CPU seconds so far.
func ownCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// A process's (or thread's) user+system CPU seconds so far, from its stat file (fields 14 and 15, in clock ticks).
func cpuSeconds(of pid: Int32) -> Double { cpuSeconds(ofStatFile: "/proc/\(pid)/stat") }

func cpuSeconds(ofStatFile path: String) -> Double {
    guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
        let afterName = stat.range(of: ") ")
    else { return .nan }
    let fields = stat[afterName.upperBound...].split(separator: " ")
    // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
    let ticks = (Double(fields[11]) ?? .nan) + (Double(fields[12]) ?? .nan)
    return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// The CPU seconds of this process's threads named `name`, from /proc/self/task/*/stat.
func cpuSecondsOfThreads(named name: String) -> Double {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.reduce(0) { total, tid in
        let comm = (try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)) ?? ""
        guard comm.trimmingCharacters(in: .whitespacesAndNewlines) == name else { return total }
        return total + cpuSeconds(ofStatFile: "/proc/self/task/\(tid)/stat")
    }
}

func makeFolder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-watch-\(label)-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

// MARK: - The naive polling peer (runs as a child process of this benchmark)

/// Lists the whole tree with sizes and mtimes once a second, as a simple polling watcher would.
func naivePoll(_ folder: String) -> Never {
    var previous: EntrySnapshot?
    while true {
        let snapshot = EntrySnapshot.take(URL(fileURLWithPath: folder))
        if snapshot != previous { previous = snapshot }
        sleep(1)
    }
}

// MARK: - (1) Latency from settling to the report

func measureLatency(options: Options) async throws {
    let inbox = try makeFolder("latency")
    defer { try? FileManager.default.removeItem(at: inbox) }
    let detector = try DropDetector(.init(directories: [WatchedDirectory(inbox)], settlePeriod: options.settle))
    var events = detector.events.makeAsyncIterator()
    let tracker = SettleTracker<String, ContinuousClock.Instant>(settlePeriod: options.settle)
    print("(1) settle latency: \(options.drops) drops into a local inbox, settle period \(milliseconds(options.settle)) ms")
    print("    (first look \(milliseconds(tracker.firstLookDelay)) ms after the last event, hints coalesced over 50 ms)")

    var latencies: [Double] = []
    let piece = Data(repeating: 0x5A, count: 256 * 1024)
    for index in 0..<options.drops {
        let name = "drop-\(index)"
        let folder = inbox.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in 0..<4 {
            if file > 0 { try await Task.sleep(for: .milliseconds(40)) }
            try piece.write(to: folder.appendingPathComponent("\(file).png"))
        }
        let settled = ContinuousClock.now.advanced(by: options.settle)
        while let event = await events.next() {
            if case .settled(let drop) = event, drop.entry == name {
                latencies.append(milliseconds(settled.duration(to: .now)))
                break
            }
        }
    }
    detector.stop()
    latencies.sort()
    func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    print(
        String(
            format: "    sluice DropDetector: min %.0f ms, median %.0f ms, p90 %.0f ms, max %.0f ms after settling",
            latencies.first ?? .nan, percentile(0.5), percentile(0.9), latencies.last ?? .nan))
}

// MARK: - (2) Idle CPU beside inotifywait and a naive polling loop

func startPeer(_ executable: String, _ arguments: [String], readyLine: String?) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    process.standardError = readyLine == nil ? FileHandle.nullDevice : errors
    try process.run()
    if let readyLine {
        var seen = ""
        while !seen.contains(readyLine) {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
    }
    return process
}

func measureIdleCPU(options: Options) async throws {
    let tree = try makeFolder("idle")
    defer { try? FileManager.default.removeItem(at: tree) }
    for directory in 0..<options.directories {
        let folder = tree.appendingPathComponent("dataset-\(directory)/images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in 0..<5 { try Data(count: 1024).write(to: folder.appendingPathComponent("\(file).png")) }
    }
    let watchedDirectories = options.directories * 2 + 1

    let detector = try DropDetector(.init(directories: [WatchedDirectory(tree)], settlePeriod: .milliseconds(500)))
    var events = detector.events.makeAsyncIterator()
    var settled = 0
    while settled < options.directories, let event = await events.next() {
        if case .settled = event { settled += 1 }
    }
    let consumer = Task { while await events.next() != nil {} }

    let inotifywait = try startPeer(
        "/usr/bin/inotifywait",
        ["-m", "-r", "-e", "create,close_write,moved_to,moved_from,delete,modify,attrib,delete_self,move_self", tree.path],
        readyLine: "Watches established")
    let naive = try startPeer(CommandLine.arguments[0], ["--naive-poll", tree.path], readyLine: nil)
    let start = (ours: ownCPUSeconds(), watchThread: cpuSecondsOfThreads(named: "sluice-watch"), inotifywait: cpuSeconds(of: inotifywait.processIdentifier),
        naive: cpuSeconds(of: naive.processIdentifier))
    try await Task.sleep(for: .seconds(options.idleSeconds))
    let end = (ours: ownCPUSeconds(), watchThread: cpuSecondsOfThreads(named: "sluice-watch"), inotifywait: cpuSeconds(of: inotifywait.processIdentifier),
        naive: cpuSeconds(of: naive.processIdentifier))
    // Foundation starts children with SIGTERM blocked, so terminate() would leave them running.
    for peer in [inotifywait, naive] {
        kill(peer.processIdentifier, SIGKILL)
        peer.waitUntilExit()
    }
    detector.stop()
    consumer.cancel()

    print(
        "(2) idle CPU over \(options.idleSeconds) s watching \(watchedDirectories) directories "
            + "(\(options.directories * 5) files) on a local file system, same window for all three:")
    print(String(format: "    sluice DropDetector (this process):  %.3f s CPU", end.ours - start.ours))
    print(String(format: "      of which its inotify thread:       %.3f s CPU", end.watchThread - start.watchThread))
    print(String(format: "    inotifywait -m -r -e <same events>:  %.3f s CPU", end.inotifywait - start.inotifywait))
    print(String(format: "    naive 1 s polling loop (lstat tree): %.3f s CPU", end.naive - start.naive))
}

let options = Options(CommandLine.arguments)
if let folder = options.naivePollFolder { naivePoll(folder) }
guard FileManager.default.isExecutableFile(atPath: "/usr/bin/inotifywait") else {
    print("inotifywait not found: install inotify-tools (apt-get install inotify-tools) for the peer figure")
    exit(1)
}
try await measureLatency(options: options)
try await measureIdleCPU(options: options)
