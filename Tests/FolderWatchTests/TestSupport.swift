import Foundation
import Synchronization
import Testing

@testable import FolderWatch

/// A unique folder under the temporary directory, removed when the value goes away.
final class TemporaryFolder: Sendable {
    let url: URL

    init(_ label: String = #function) throws {
        let name = "sluice-watch-\(label.prefix { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        url = FileManager.default.temporaryDirectory.appendingPathComponent(name).standardizedFileURL
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Creates (with parents) a subfolder and returns it.
    @discardableResult
    func folder(_ relative: String) throws -> URL {
        let folder = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes `bytes` bytes of content to `relative`, creating parent folders.
    @discardableResult
    func file(_ relative: String, bytes: Int = 16) throws -> URL {
        let file = url.appendingPathComponent(relative)
        let parent = file.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: parent.path) {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        }
        guard FileManager.default.createFile(atPath: file.path, contents: Data(repeating: 0x61, count: bytes)) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        return file
    }
}

/// Collects what an AsyncStream yields, with the time each arrived, so tests can wait for a condition with a deadline.
final class Recorder<Element: Sendable>: Sendable {
    struct Stamped: Sendable {
        let element: Element
        let at: ContinuousClock.Instant
    }

    private final class Storage: Sendable {
        let state = Mutex<(items: [Stamped], finished: Bool)>(([], false))
    }

    private let storage = Storage()
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<Element>) {
        let storage = self.storage
        task = Task {
            for await element in stream {
                let stamped = Stamped(element: element, at: .now)
                storage.state.withLock { $0.items.append(stamped) }
            }
            storage.state.withLock { $0.finished = true }
        }
    }

    deinit { task.cancel() }

    var stamped: [Stamped] { storage.state.withLock { $0.items } }
    var elements: [Element] { stamped.map(\.element) }
    var isFinished: Bool { storage.state.withLock { $0.finished } }

    /// Waits until `condition` holds for what was recorded, or `timeout` passes; returns whether it held.
    @discardableResult
    func wait(timeout: Duration, until condition: ([Element]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if condition(elements) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(elements)
    }

    /// Waits until the stream finished, or `timeout` passes.
    func waitForFinish(timeout: Duration) async -> Bool {
        await waitFor(timeout: timeout) { self.isFinished }
    }

    private func waitFor(timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}

extension DropDetector.Event {
    var settledDrop: SettledDrop? {
        if case .settled(let drop) = self { return drop }
        return nil
    }

    var hint: FolderWatcher.Hint? {
        if case .hint(let hint) = self { return hint }
        return nil
    }
}

extension Array where Element == DropDetector.Event {
    var settledDrops: [SettledDrop] { compactMap(\.settledDrop) }
    var settledNames: [String] { settledDrops.map(\.entry) }
}

/// Writes a sysctl under /proc/sys and gives back its previous value.
func setSysctl(_ name: String, to value: Int) throws -> Int {
    let path = "/proc/sys/" + name.replacingOccurrences(of: ".", with: "/")
    let previous = Int(try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
    try "\(value)\n".write(toFile: path, atomically: false, encoding: .utf8)
    return previous
}

let isRoot = getuid() == 0

/// Runs a tool and fails the test when it exits non-zero.
func run(_ executable: String, _ arguments: String...) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(executable) \(arguments.joined(separator: " ")) failed")
}
