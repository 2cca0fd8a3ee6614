import Foundation
import Imaging
import ZipArchive

/// Builds a result zip the way CivitAI's trainer auto-labeling returns one, from the upload zip Sluice made.
///
/// What it reproduces (DESIGN §4): a flat zip whose entries are renamed to their list index (`000.png`, `001.jpg`,
/// … `1000.png` past 999) in an order that is not the upload order; images over 2048 px on a side (or under 256 px
/// on both) re-encoded at a new size; `.jpeg` returned as `.jpg`; `NNN.txt` only for a non-empty label; a trigger
/// word prepended; booru tags with underscores.
struct CivitAISimulator {
    struct Options {
        /// Seeds the shuffle and the choice of the image whose caption goes missing.
        var seed: UInt64 = 1
        /// Prepended as the first tag of every caption when set.
        var triggerWord: String? = "sluice_trigger"
        /// How many images come back without a caption (an empty label).
        var missingCaptions: Int = 1
        /// The label for an uploaded entry; the default holds a tag naming the entry, so tests can check placement.
        var label: (_ uploadName: String) -> String = CivitAISimulator.defaultLabel
    }

    /// What happened to one uploaded image.
    struct Returned: Equatable {
        /// The entry's name in the result zip, such as `007.jpg`.
        var resultName: String
        /// The caption text written beside it, or nil when its caption was left out.
        var caption: String?
        /// Whether the image was re-encoded (different bytes and size) rather than returned as uploaded.
        var reencoded: Bool
        var width: Int
        var height: Int
    }

    /// Upload entry name → what came back for it.
    typealias Outcome = [String: Returned]

    /// A label with underscored booru tags and one tag naming the upload entry (`id_<stem>`).
    static func defaultLabel(_ uploadName: String) -> String {
        let stem = (uploadName as NSString).lastPathComponent.split(separator: ".").first.map(String.init) ?? uploadName
        let id = "id_" + stem.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        return ["1girl", "long_hair", "looking_at_viewer", id, "simple_background", "absurdres"].joined(separator: ", ")
    }

    /// The name CivitAI gives the entry at `index` (`jpeg` becomes `jpg`; three digits until 999, then more).
    static func resultName(index: Int, uploadName: String) -> String {
        var ext = (uploadName as NSString).pathExtension.lowercased()
        if ext == "jpeg" { ext = "jpg" }
        return String(format: "%03d.%@", index, ext)
    }

    /// Reads `uploadZip` and writes the result archive to `resultZip`; returns what became of each upload entry.
    static func makeResult(fromUpload uploadZip: String, to resultZip: String, options: Options = Options()) throws -> Outcome {
        let reader = try ZipReader(path: uploadZip)
        let uploads = reader.entries.filter { !$0.isDirectory }
        var random = SplitMix64(seed: options.seed)
        var order = Array(uploads.indices).shuffled(using: &random)
        if order.count > 1 && order == Array(uploads.indices) { order.swapAt(0, 1) }  // never the upload order
        let withoutCaption = Set(order.shuffled(using: &random).prefix(options.missingCaptions))

        let writer = try ZipWriter(path: resultZip, timestamp: DOSTimestamp(year: 2025, month: 3, day: 1))
        var outcome: Outcome = [:]
        for (index, uploadIndex) in order.enumerated() {
            let entry = uploads[uploadIndex]
            var bytes = try reader.contents(of: entry)
            let header = try ImageHeader.parse(bytes, source: entry.name)
            var size = (header.width, header.height)
            let longest = max(header.width, header.height)
            let needsReencode = longest > 2048 || (header.width < 256 && header.height < 256)
            if needsReencode {
                let scale = longest > 2048 ? 2048 / Double(longest) : 256 / Double(min(header.width, header.height))
                size = (max(1, Int(Double(header.width) * scale)), max(1, Int(Double(header.height) * scale)))
                let pixels = try ImageDecoder.decode(bytes, source: entry.name, layout: .rgb)
                bytes = try ImageEncoder.encode(pixels.resized(width: size.0, height: size.1), as: header.format, quality: 90)
            }
            let name = resultName(index: index, uploadName: entry.name)
            try writer.addData(bytes, as: name, compression: .stored)

            var caption: String? = nil
            let label = options.label(entry.name)
            if !withoutCaption.contains(uploadIndex), !label.isEmpty {
                let text = options.triggerWord.map { "\($0), \(label)" } ?? label
                let captionName = String(name[..<name.lastIndex(of: ".")!]) + ".txt"
                try writer.addData(Array(text.utf8), as: captionName, compression: .deflated)
                caption = text
            }
            outcome[entry.name] = Returned(
                resultName: name, caption: caption, reencoded: needsReencode, width: size.0, height: size.1)
        }
        try writer.finish()
        return outcome
    }
}
