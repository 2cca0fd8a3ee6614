import Foundation
import SystemIO

/// Step A's per-batch checkpoint: JSON lines appended to one file, so a batch costs its own lines and one fsync,
/// not a rewrite of everything indexed so far (which grows with the job: 100,000 images would rewrite gigabytes).
///
/// A kill mid-append leaves whole lines of that batch and at most one torn line: loading keeps the whole lines,
/// cuts the torn tail off, and the images not yet recorded are indexed again, so a restart redoes at most one batch.
struct IndexCheckpoint {
    /// One line of the file: an indexed image or one that could not be read.
    private struct Line: Codable {
        var image: DatasetIndex.Image?
        var unreadable: DatasetIndex.Unreadable?
    }

    let url: URL

    /// What earlier runs recorded (empty when nothing was); a torn last line is removed from the file.
    func load() -> DatasetIndex {
        var index = DatasetIndex()
        let decoder = JSONDecoder()
        for data in JSONLinesFile(url).lines() {
            guard let line = try? decoder.decode(Line.self, from: data) else { continue }
            if let image = line.image { index.images.append(image) }
            if let unreadable = line.unreadable { index.unreadable.append(unreadable) }
        }
        return index
    }

    /// Appends one batch's entries and makes them durable (the folder too, when the file is new).
    func append(images: ArraySlice<DatasetIndex.Image>, unreadable: ArraySlice<DatasetIndex.Unreadable>) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines: [Data] = []
        for image in images { lines.append(try encoder.encode(Line(image: image))) }
        for entry in unreadable { lines.append(try encoder.encode(Line(unreadable: entry))) }
        try JSONLinesFile(url).append(lines)
    }

    /// Deletes the checkpoint once the whole index is saved.
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
