import ArgumentParser
import Configuration
import Foundation
import Glibc
import Logging
import NASSync
import Pipeline

/// `sluice sync`: rsync final/ to sync.destination now, whatever sync.when says.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "rsync final/ to sync.destination (additive unless sync.mirror; verified by checksum).",
        discussion: """
            The destination is a mounted path, host:path (ssh, no password prompts: use a key) or
            rsync://host[:port]/module/path (a password comes from RSYNC_PASSWORD). Mirror mode counts the deletions
            with a dry run first and refuses more than sync.max_deletions. Transient failures (network, timeouts,
            partial transfers) are retried with doubling delays; a run interrupted for any reason resumes.
            """)

    @Argument(help: "Sluice root (default: $SLUICE_ROOT or the current folder).")
    var root: String?
    @Flag(help: "Only say what would be sent (and deleted, with sync.mirror).")
    var dryRun = false
    @Flag(help: "Print the result as JSON (what the manifest records).")
    var json = false

    func run() throws {
        let layout = RootLayout(root: URL(fileURLWithPath: root ?? RootOption.defaultRoot()))
        guard layout.isInitialized else {
            throw CLIError("\(layout.root.path) is not a Sluice root (run `sluice init \(layout.root.path)` first)")
        }
        let section: SluiceConfig.SyncSection
        do { section = try SluiceConfig.load(from: layout.configFile).sync } catch { throw CLIError("\(error)") }
        do {
            let runner = SyncRunner(source: layout.final.path, settings: try SyncSettings(section, root: layout.root.path))
            // The shared progress line on a terminal; `sluice status` shows the same figures from the progress file.
            let terminal = !json && ProgressLine.isTerminal ? ProgressLine() : nil
            let result = try runner.run(
                dryRun: dryRun,
                progress: terminal.map { line in { reading in line.draw("sync " + reading.summary) } },
                log: { line in
                    // A log line, leveled and prefixed for journald like the engine's, in place of the progress line.
                    terminal?.clear()
                    Logger(label: "sluice").info("\(line)")
                })
            terminal?.clear()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print(result.summary)
                if dryRun { for path in result.sent.prefix(20) { print("  send \(path)") } }
                for path in result.deleted.prefix(20) { print("  \(dryRun ? "would delete" : "deleted") \(path)") }
            }
        } catch let error as SyncError {
            throw CLIError(error.description)
        }
    }
}
