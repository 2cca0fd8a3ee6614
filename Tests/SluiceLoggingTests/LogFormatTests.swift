import Foundation
import Glibc
import Logging
import Testing
@testable import SluiceLogging

@Suite struct LogFormatTests {
    /// Collects the lines a handler writes.
    final class Lines: @unchecked Sendable {
        // @unchecked Sendable: every access holds `lock`.
        private let lock = NSLock()
        private var collected: [String] = []
        func append(_ line: String) { lock.withLock { collected.append(line) } }
        var all: [String] { lock.withLock { collected } }
    }

    private func logger(format: LogFormat, level: Logger.Level = .trace, lines: Lines, time: Date = Date()) -> Logger {
        Logger(label: "sluice") { label in
            SluiceLogHandler(label: label, level: level, format: format, write: { lines.append($0) }, now: { time })
        }
    }

    /// A file opened as stderr would be, and `JOURNAL_STREAM` as systemd sets it for that file.
    private func journalStream() throws -> (descriptor: Int32, variable: String, cleanup: () -> Void) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-journal-\(UUID().uuidString)").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        let identity = try #require(LogDestination.fileIdentity(of: descriptor))
        return (descriptor, "\(identity.device):\(identity.inode)", { close(descriptor); unlink(path) })
    }

    @Test func journalStreamMatchingTheDescriptorSelectsTheJournalFormat() throws {
        let stream = try journalStream()
        defer { stream.cleanup() }
        #expect(LogDestination.format(forDescriptor: stream.descriptor, environment: ["JOURNAL_STREAM": stream.variable]) == .journal)
        #expect(LogDestination.format(forDescriptor: stream.descriptor, environment: [:]) == .terminal)
        // Inherited by a child whose stderr went elsewhere: another inode, so the terminal format.
        let other = try journalStream()
        defer { other.cleanup() }
        #expect(LogDestination.format(forDescriptor: stream.descriptor, environment: ["JOURNAL_STREAM": other.variable]) == .terminal)
        #expect(LogDestination.format(forDescriptor: stream.descriptor, environment: ["JOURNAL_STREAM": "garbage"]) == .terminal)
    }

    @Test(arguments: [
        (Logger.Level.trace, "<7>"), (.debug, "<7>"), (.info, "<6>"), (.notice, "<5>"), (.warning, "<4>"), (.error, "<3>"),
        (.critical, "<2>"),
    ])
    func journalLinesCarryThePriorityPrefixAndNoTimestamp(level: Logger.Level, prefix: String) throws {
        let stream = try journalStream()
        defer { stream.cleanup() }
        let format = LogDestination.format(forDescriptor: stream.descriptor, environment: ["JOURNAL_STREAM": stream.variable])
        let lines = Lines()
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        logger(format: format, lines: lines, time: time).log(level: level, "zip written", metadata: ["job": "20261201-mika"])
        #expect(lines.all == ["\(prefix)[20261201-mika] zip written\n"])
        #expect(!lines.all[0].contains(":"), "no clock time in a journald line")
    }

    @Test func journalPrefixesEveryLineOfAMultiLineMessage() {
        let lines = Lines()
        logger(format: .journal, lines: lines).warning("first\nsecond")
        #expect(lines.all == ["<4>first\n<4>second\n"])
    }

    @Test func terminalLinesHaveTimeLevelJobAndMessage() throws {
        let lines = Lines()
        let time = Date(timeIntervalSince1970: 1_700_000_000 + 3_723)  // 23:15:23 UTC
        let log = Logger(label: "sluice") { label in
            SluiceLogHandler(label: label, level: .info, format: .terminal, write: { lines.append($0) }, now: { time })
        }
        log.info("indexed 40 images", metadata: ["job": "mika", "batch": "1"])
        log.warning("no caption changed")
        log.debug("not shown at info")
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(LogFormat.terminal.line(level: .info, message: "m", metadata: [:], time: time, timeZone: utc) == "23:15:23 INFO    m\n")
        #expect(lines.all.count == 2)
        #expect(lines.all[0].hasSuffix(" INFO    [mika] indexed 40 images batch=1\n"))
        #expect(lines.all[1].hasSuffix(" WARNING no caption changed\n"))
        #expect(lines.all[0].prefix(8).allSatisfy { $0.isNumber || $0 == ":" })
    }

    @Test func levelComesFromTheOptionThenTheEnvironmentThenInfo() throws {
        #expect(try SluiceLogging.level(option: "debug", environment: ["SLUICE_LOG_LEVEL": "error"]) == .debug)
        #expect(try SluiceLogging.level(option: nil, environment: ["SLUICE_LOG_LEVEL": "Warning"]) == .warning)
        #expect(try SluiceLogging.level(option: "warn", environment: [:]) == .warning)
        #expect(try SluiceLogging.level(option: nil, environment: [:]) == .info)
        #expect(throws: LogLevelError(source: "SLUICE_LOG_LEVEL", value: "loud")) {
            try SluiceLogging.level(option: nil, environment: ["SLUICE_LOG_LEVEL": "loud"])
        }
    }
}

@Suite struct LogLevelOptionTests {
    @Test(arguments: [
        (["watch", "--log-level", "debug", "/r"], "debug", ["watch", "/r"]),
        (["--log-level=error", "status"], "error", ["status"]),
        (["normalize", "d", "--", "--log-level", "x"], nil, ["normalize", "d", "--", "--log-level", "x"]),
        (["status"], nil, ["status"]),
        (["--log-level", "info", "run", "--log-level", "warning"], "warning", ["run"]),
    ] as [([String], String?, [String])])
    func levelOptionIsTakenOutWhereverItStands(arguments: [String], level: String?, remaining: [String]) {
        let extracted = SluiceLogging.extractLevelOption(from: arguments)
        #expect(extracted.level == level)
        #expect(extracted.remaining == remaining)
    }
}
