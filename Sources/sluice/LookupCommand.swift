import ArgumentParser
import Configuration
import Foundation
import Glibc
import HTTPClient
import ImageLookup
import Library
import Pipeline

/// `sluice lookup`: where images came from (Danbooru by MD5, SauceNAO, IQDB) and their booru tags.
struct LookupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Find each image's source (Danbooru MD5, SauceNAO, IQDB) and its booru tags, cached and paced to quota.",
        discussion: """
            API keys come from sluice.yaml (which must then be private: chmod 600) or from the environment:
            SLUICE_SAUCENAO_API_KEY, SLUICE_DANBOORU_LOGIN, SLUICE_DANBOORU_API_KEY, SLUICE_GELBOORU_API_KEY,
            SLUICE_GELBOORU_USER_ID. Answers are cached in <root>/.sluice/lookup.sqlite.
            """)

    @Option(help: "Sluice root giving sluice.yaml and the cache (default: $SLUICE_ROOT or the current folder).")
    var root: String?
    @Option(help: "A sluice.yaml to use instead of a root's; the cache goes in .sluice/ beside it.")
    var config: String?
    @Argument(help: "Image files, or folders whose images are looked up.")
    var images: [String]
    @Flag(help: "Machine-readable output.")
    var json = false
    @Flag(help: "Ignore cached answers (fresh answers are still stored).")
    var noCache = false

    func validate() throws {
        if root != nil && config != nil { throw ValidationError("give --root or --config, not both") }
        if images.isEmpty { throw ValidationError("name at least one image") }
    }

    func run() async throws {
        let (settings, databasePath) = try Self.settings(root: root, config: config)
        let paths = try Self.imagePaths(images)
        let session = try LookupSession(settings: settings, cache: LookupCache(path: databasePath))
        let progress = ProgressBar(total: paths.count, enabled: !json && paths.count > 1 && isatty(STDERR_FILENO) == 1)
        let work = Task { await session.lookUp(images: paths, useCache: !noCache) { done, _ in progress.update(done) } }
        let interrupt = Self.cancelOnInterrupt(work)
        let outcomes = await work.value
        interrupt.cancel()
        progress.finish()

        let redactor = SecretRedactor(secrets: settings.secrets)
        let output = json ? try Self.json(outcomes) : Self.text(outcomes)
        print(redactor.redact(output), terminator: "")
        if outcomes.contains(where: { $0.result == nil }) { throw ExitCode(1) }
    }

    /// The lookup settings from the config file (or defaults), with secrets from the environment, and the database path.
    static func settings(root: String?, config: String?) throws -> (LookupSettings, String) {
        let configURL: URL
        let stateFolder: URL
        if let config {
            configURL = URL(fileURLWithPath: config)
            stateFolder = configURL.deletingLastPathComponent().appendingPathComponent(".sluice")
        } else {
            let layout = RootLayout(root: URL(fileURLWithPath: root ?? RootOption.defaultRoot()))
            guard layout.isInitialized else {
                throw CLIError(
                    "\(layout.root.path) is not a Sluice root (run `sluice init \(layout.root.path)` first, or pass --config FILE)")
            }
            configURL = layout.configFile
            stateFolder = layout.state
        }
        let section: SluiceConfig.LookupSection
        do { section = try SluiceConfig.load(from: configURL).lookup } catch { throw CLIError.config("\(error)") }
        var settings = LookupSettings(section)
        settings.version = SluiceVersion.current
        return (settings.applyingEnvironment(), stateFolder.appendingPathComponent("lookup.sqlite").path)
    }

    /// Files as given; folders expand to the images directly inside them, sorted.
    static func imagePaths(_ arguments: [String]) throws -> [String] {
        let extensions: Set<String> = ["jpg", "jpeg", "png", "webp", "gif"]
        var paths: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw CLIError("\(argument): no such file or folder")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: argument).sorted()
                paths += names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
                    .map { (argument as NSString).appendingPathComponent($0) }
            } else {
                paths.append(argument)
            }
        }
        return paths
    }

    static func json(_ outcomes: [ImageLookupOutcome]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(outcomes), as: UTF8.self) + "\n"
    }

    static func text(_ outcomes: [ImageLookupOutcome]) -> String {
        var lines: [String] = []
        for outcome in outcomes {
            lines.append(outcome.path)
            if let result = outcome.result {
                if let match = result.match {
                    let origin = result.origin == .md5 ? "Danbooru MD5" : result.origin == .saucenao ? "SauceNAO" : "IQDB"
                    let similarity = String(format: "%.1f%%", match.similarity)
                    lines.append("  source:    \(result.post?.url ?? match.postURL) (\(similarity) via \(origin)\(result.fromCache ? ", cached" : ""))")
                } else {
                    lines.append("  source:    no match\(result.fromCache ? " (cached)" : "")")
                }
                if let rating = result.rating { lines.append("  rating:    \(rating.rawValue)") }
                let tags = result.tags
                for (name, list) in [("artist", tags.artist), ("copyright", tags.copyright), ("character", tags.character),
                                     ("general", tags.general), ("meta", tags.meta)] where !list.isEmpty {
                    lines.append("  \(name):".padding(toLength: 13, withPad: " ", startingAt: 0) + list.joined(separator: ", "))
                }
            } else {
                lines.append("  source:    unknown (no service could answer)")
            }
            for failure in outcome.failures { lines.append("  error:     \(failure)") }
        }
        var notes: [String] = []
        for note in outcomes.flatMap(\.notes) where !notes.contains(note) { notes.append(note) }
        lines += notes.map { "note: \($0)" }
        let matched = outcomes.filter { $0.result?.isMatch == true }.count
        let failed = outcomes.filter { $0.result == nil }.count
        lines.append("\(outcomes.count) image(s): \(matched) matched, \(outcomes.count - matched - failed) without match, \(failed) failed")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Ctrl-C cancels the lookup: the transfer in flight is aborted and the images not reached are reported as such.
    static func cancelOnInterrupt(_ task: Task<[ImageLookupOutcome], Never>) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT)
        source.setEventHandler { task.cancel() }
        source.resume()
        return source
    }
}

/// A one-line progress bar on standard error, redrawn in place.
final class ProgressBar: Sendable {
    let total: Int
    let enabled: Bool

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
        update(0)
    }

    func update(_ done: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
