import ArgumentParser
import Foundation
import TagNormalization

/// `sluice normalize DIR --preset NAME|PATH [--dry-run] [--preview N]`: normalizes a dataset's captions in place.
struct NormalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Normalize a dataset's captions with a preset, in place, backing up every caption it rewrites.",
        discussion: "Originals go to DIR/.sluice-backups/<YYYYMMDD-HHMMSS>/, which never reaches a final zip."
    )

    @Argument(help: "The dataset folder (captions are the .txt files beside its images, found recursively).")
    var directory: String

    @Option(help: "A preset name (see `sluice presets list`) or a path to a preset .json file.")
    var preset: String

    @Option(help: "A trigger word to keep first in every caption (overrides the preset's).")
    var trigger: String?

    @Flag(help: "Show what would change without writing anything.")
    var dryRun = false

    @Option(help: "How many changed captions to show before and after.")
    var preview = 30

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(directory) is not a folder; pass the dataset folder that holds the images and captions.")
        }
        guard preview >= 0 else { throw ValidationError("--preview must be 0 or more.") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        let preset = try PresetLibrary.standard().load(preset)
        let backups = Self.backupDirectory(in: folder, at: Date())
        let normalizer = DatasetNormalizer(preset: preset, triggerWord: trigger, previewLimit: preview)
        let report = try normalizer.normalizeFolder(at: folder, backupDirectory: backups, dryRun: dryRun)
        if preview > 0 {
            print(report.previewText(limit: preview))
            print("")
        }
        print(report.summary())
    }

    /// `DIR/.sluice-backups/<YYYYMMDD-HHMMSS>` (with a `-2`, `-3`… suffix if that second is taken).
    static func backupDirectory(in folder: URL, at date: Date) -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stamp = formatter.string(from: date)
        let parent = folder.appendingPathComponent(".sluice-backups")
        var candidate = parent.appendingPathComponent(stamp)
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = parent.appendingPathComponent("\(stamp)-\(suffix)")
            suffix += 1
        }
        return candidate
    }
}
