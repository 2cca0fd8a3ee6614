import Foundation
import Imaging
import ZipArchive

/// Does to an upload zip what CivitAI's trainer does (DESIGN §4): renames every entry to its list index in an
/// order that is not the upload order, re-encodes images over 2048 px at a new size, writes `NNN.txt` only for
/// non-empty labels, may prepend a trigger word, and uses underscores in tags.
enum AutotaggerFake {
    struct Result {
        let zip: URL
        /// Upload entry name → the caption text CivitAI returned for it ("" when it returned none).
        let captions: [String: String]
        /// Upload entry names whose image came back re-encoded.
        let reencoded: [String]
    }

    static func respond(
        to upload: URL, writingTo output: URL, seed: UInt64, label: (String) -> String,
        triggerWord: String? = "mikastyle", withoutCaption: Int = 1
    ) throws -> Result {
        let reader = try ZipReader(path: upload.path)
        var generator = SeededGenerator(seed: seed)
        let entries = reader.entries.filter { !$0.isDirectory }.shuffled(using: &generator)
        let scratch = output.deletingLastPathComponent().appendingPathComponent(".fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        var captions: [String: String] = [:]
        var reencoded: [String] = []
        var files: [ZipWriter.Entry] = []
        for (index, entry) in entries.enumerated() {
            let number = index > 999 ? "\(index)" : String(format: "%03d", index)
            var bytes = try reader.contents(of: entry)
            var ext = (entry.name as NSString).pathExtension.lowercased()
            if ext == "jpeg" { ext = "jpg" }
            let header = try ImageHeader.parse(bytes, source: entry.name)
            if max(header.width, header.height) > 2048 || min(header.width, header.height) < 256 {
                let image = try ImageDecoder.decode(bytes, source: entry.name)
                let scale = 2048.0 / Double(max(header.width, header.height))
                let resized = image.resized(width: Int(Double(header.width) * scale), height: Int(Double(header.height) * scale))
                bytes = try ImageEncoder.encode(resized, as: .jpeg, quality: 90)
                ext = "jpg"
                reencoded.append(entry.name)
            }
            let imageFile = scratch.appendingPathComponent("\(number).\(ext)")
            try Data(bytes).write(to: imageFile)
            files.append(ZipWriter.Entry(sourcePath: imageFile.path, name: imageFile.lastPathComponent, compression: .stored))
            if index == withoutCaption {
                captions[entry.name] = ""
                continue
            }
            var text = label(entry.name)
            if let triggerWord { text = "\(triggerWord), " + text }
            captions[entry.name] = text
            let captionFile = scratch.appendingPathComponent("\(number).txt")
            try text.write(to: captionFile, atomically: true, encoding: .utf8)
            files.append(ZipWriter.Entry(sourcePath: captionFile.path, name: captionFile.lastPathComponent, compression: .deflated))
        }
        let writer = try ZipWriter(path: output.path)
        try writer.addFiles(files)
        try writer.finish()
        return Result(zip: output, captions: captions, reencoded: reencoded)
    }
}

/// A small deterministic generator (SplitMix64), so a shuffled order is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
