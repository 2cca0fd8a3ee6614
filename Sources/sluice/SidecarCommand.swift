import ArgumentParser
import ExifMetadata
import Foundation
import XMPSidecar

/// `sluice sidecar`: writes and reads the XMP sidecars photo tools understand (DESIGN §7).
struct SidecarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sidecar",
        abstract: "Write or read XMP sidecars (<image>.<ext>.xmp) that exiftool, digiKam and darktable read.",
        subcommands: [Write.self, Read.self])

    /// `sluice sidecar write`.
    struct Write: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add tags, source and description to the images' sidecars, keeping everything else in them.")

        @Argument(help: "Images whose sidecars to write.")
        var images: [String]

        @Option(help: "Comma-separated tags, e.g. \"1girl, hatsune miku, rating:general\".")
        var tags: String?

        @Option(name: .customLong("tags-from"), help: "A caption file with comma- or newline-separated tags.")
        var tagsFrom: String?

        @Option(name: .customLong("category-of"), help: "TAG=CATEGORY, e.g. \"hatsune miku=character\" (repeatable).")
        var categoryOf: [String] = []

        @Option(help: "The post URL, written to dc:source.")
        var source: String?

        @Option(help: "Text for dc:description.")
        var description: String?

        @Option(help: "Star rating 0-5 for xmp:Rating (left alone unless given).")
        var stars: Int?

        @Flag(help: "Write even when Sluice already processed the image.")
        var force = false

        func validate() throws {
            guard (tags == nil) != (tagsFrom == nil) else {
                throw ValidationError("Give exactly one of --tags or --tags-from.")
            }
            if let stars, !(0...5).contains(stars) { throw ValidationError("--stars must be 0 to 5, not \(stars).") }
            for pair in categoryOf where !pair.contains("=") {
                throw ValidationError("--category-of needs TAG=CATEGORY, got \"\(pair)\".")
            }
        }

        func run() throws {
            let tagText: String
            if let tagsFrom {
                do {
                    tagText = try String(contentsOfFile: tagsFrom, encoding: .utf8)
                } catch {
                    let reason = (error as NSError).localizedDescription
                    FileHandle.standardError.write(Data("error: \(tagsFrom): cannot read the tag file (\(reason))\n".utf8))
                    throw ExitCode(1)
                }
            } else {
                tagText = tags ?? ""
            }
            var categories: [String: String] = [:]
            for pair in categoryOf {
                let separator = pair.lastIndex(of: "=")!
                categories[pair[..<separator].trimmingCharacters(in: .whitespaces)] =
                    pair[pair.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            }
            let update = SidecarUpdate(
                tags: SidecarTag.parseList(tagText, categories: categories), source: source, description: description,
                stars: stars)
            let store = SidecarStore()
            let items = images.map { (image: URL(fileURLWithPath: $0), update: update) }
            var failures = 0
            for (item, result) in zip(items, store.writeAll(items, force: force)) {
                let sidecar = SidecarStore.sidecarURL(forImage: item.image).path
                switch result {
                case .success(.created): print("created  \(sidecar)")
                case .success(.updated): print("updated  \(sidecar)")
                case .success(.unchanged): print("unchanged \(sidecar)")
                case .success(.skippedAlreadyProcessed): print("skipped  \(sidecar) (already processed; --force to write again)")
                case .failure(let error):
                    failures += 1
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }

    /// `sluice sidecar read`.
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the images' tags by category, source, ratings, Sluice's marker and EXIF facts.")

        @Argument(help: "Images whose sidecars to read.")
        var images: [String]

        @Flag(help: "Print JSON instead of text.")
        var json = false

        /// One image's report, as printed with --json.
        struct Report: Encodable {
            var image: String
            var sidecar: String?
            var tags: [String: [String]]?
            var source: String?
            var description: String?
            var stars: Int?
            var booruRating: String?
            var processed: ProcessedMarker?
            var exif: ExifFacts?
            var errors: [String]
        }

        func run() throws {
            let store = SidecarStore()
            var reports: [Report] = []
            for image in images {
                let url = URL(fileURLWithPath: image)
                var report = Report(image: image, errors: [])
                do {
                    if let contents = try store.read(forImage: url) {
                        let current = SidecarStore.sidecarURL(forImage: url)
                        report.sidecar = FileManager.default.fileExists(atPath: current.path)
                            ? current.path : SidecarStore.legacySidecarURL(forImage: url).path
                        report.tags = contents.tagsByCategory
                        report.source = contents.source
                        report.description = contents.description
                        report.stars = contents.stars
                        report.booruRating = contents.booruRating
                        report.processed = contents.processed
                    }
                } catch {
                    report.errors.append("\(error)")
                }
                do {
                    report.exif = try ExifFacts.read(from: image)
                } catch {
                    report.errors.append("\(error)")
                }
                reports.append(report)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(reports), as: UTF8.self))
            } else {
                reports.forEach { print(Self.text(for: $0)) }
            }
            if reports.contains(where: { !$0.errors.isEmpty }) { throw ExitCode(1) }
        }

        private static func text(for report: Report) -> String {
            var lines = [report.image]
            if let sidecar = report.sidecar { lines.append("  sidecar: \(sidecar)") } else { lines.append("  sidecar: none") }
            for (category, names) in (report.tags ?? [:]).sorted(by: { $0.key < $1.key }) {
                lines.append("  \(category.isEmpty ? "(no category)" : category): \(names.joined(separator: ", "))")
            }
            if let source = report.source { lines.append("  source: \(source)") }
            if let description = report.description { lines.append("  description: \(description)") }
            if let stars = report.stars { lines.append("  stars: \(stars)") }
            if let processed = report.processed { lines.append("  processed: Sluice \(processed.version) on \(processed.date)") }
            if let exif = report.exif, exif.hasExif {
                var facts = ["orientation \(exif.orientation)"]
                if let date = exif.captureDate { facts.append("captured \(date)") }
                let camera = [exif.make, exif.model].compactMap { $0 }.joined(separator: " ")
                if !camera.isEmpty { facts.append(camera) }
                if let width = exif.pixelWidth, let height = exif.pixelHeight { facts.append("\(width)×\(height)") }
                lines.append("  exif: \(facts.joined(separator: ", "))")
            } else if report.exif != nil {
                lines.append("  exif: none")
            }
            lines += report.errors.map { "  error: \($0)" }
            return lines.joined(separator: "\n")
        }
    }
}
