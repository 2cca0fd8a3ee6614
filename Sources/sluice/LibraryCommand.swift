import ArgumentParser
import Configuration
import Foundation
import Glibc
import ImageLookup
import Library
import Pipeline

/// `sluice library`: the library profile's stages without the daemon.
struct LibraryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Library profile: tag, review, sidecar and sort images into final/<Category>/.",
        subcommands: [LibraryRunCommand.self])
}

extension LibraryStage: ExpressibleByArgument {}

/// `sluice library run PATH`: one pass of the library stages over a folder of images.
struct LibraryRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the library stages once over a folder of images (scan, analyze, lookup, review, sidecar, categorize, organize, sync).",
        discussion: """
            Images go to ROOT/final/<Category>/ with <image>.<ext>.xmp beside them; images waiting for review go to \
            ROOT/review/<drop>__batch-<n>/ (approve with RESUME or a move to reviewed/, then run again). Every image's \
            progress is checkpointed in ROOT/.sluice/library/, so an interrupted run, run again, redoes nothing already \
            done. Categories learned from your moves in final/ go in front of the rules (learning.enabled). final/ is \
            synced to sync.destination after each batch or at the end (sync.when); --from sync only syncs. A failed \
            sync is in the error report but never fails the run. The manifest and error report go to \
            ROOT/.sluice/reports/ (named in the last line). Exits 0 when every image is done or waits, 1 when an \
            image failed, 78 for a config error.
            """)

    @Argument(help: "The folder of images.")
    var path: String
    @Option(help: "Sluice root holding sluice.yaml, final/, review/ and .sluice/ (default: $SLUICE_ROOT or the current folder).")
    var root: String?
    @Option(help: "First stage to run after scan: scan, analyze, lookup, review, sidecar, categorize, organize, sync.")
    var from: LibraryStage = .scan
    @Option(help: "Last stage to run.")
    var to: LibraryStage = .sync
    @Flag(help: "Process images whose sidecar already carries Sluice's processed marker, and start a fresh checkpoint.")
    var reprocess = false

    func run() async throws {
        let rootPath = URL(fileURLWithPath: root ?? RootOption.defaultRoot()).standardizedFileURL.path
        let configFile = rootPath + "/sluice.yaml"
        var config = SluiceConfig()
        if FileManager.default.fileExists(atPath: configFile) {
            do { config = try SluiceConfig.load(from: URL(fileURLWithPath: configFile)) } catch {
                FileHandle.standardError.write(Data("sluice: \(error)\n".utf8))
                throw ExitCode(78)
            }
        }
        var options = LibraryRunOptions(drop: path, root: rootPath, config: config, from: from, to: to, reprocess: reprocess)
        options.drop = URL(fileURLWithPath: path).standardizedFileURL.path
        var lookup: LookupSession?
        if config.library.stages.lookup && from <= .lookup && to >= .lookup {
            var settings = LookupSettings(config.lookup)
            settings.version = SluiceVersion.current
            try FileManager.default.createDirectory(atPath: rootPath + "/.sluice", withIntermediateDirectories: true)
            lookup = try LookupSession(settings: settings.applyingEnvironment(), cache: LookupCache(path: rootPath + "/.sluice/lookup.sqlite"))
        }
        // The shared progress line on a terminal; each log line takes its place.
        let terminal = ProgressLine.isTerminal ? ProgressLine() : nil
        let log: @Sendable (String) -> Void = { line in
            terminal?.clear()
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        var progress: (@Sendable (String) -> Void)?
        if let terminal { progress = { terminal.draw($0) } }
        let libraryRun = LibraryRun(options: options, lookup: lookup, log: log, progress: progress)
        let report: RunSummary
        do { report = try await libraryRun.run() } catch { throw CLIError("\(error)") }
        // A failed lookup goes on untagged and a failed sync is retried next time: neither fails the run.
        if report.stopped > 0 {
            throw ExitCode(1)
        }
    }
}
