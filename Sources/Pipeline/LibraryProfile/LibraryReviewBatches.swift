import Foundation
import Library

/// The review batch folders of one library run (`review/<drop>__batch-<n>/`, CONTRACTS.md), found by the run id in
/// their `.sluice-batch.json`, wherever the user left them: still in review/, or moved to reviewed/ under any name.
struct LibraryReviewBatches {
    let layout: RootLayout
    /// `LibraryRun.jobID`: the id the batch manifests carry.
    let runID: String

    /// Folder names under review/ that still wait for the user.
    var waiting: [String] {
        folders(in: layout.review).filter { !FileManager.default.fileExists(atPath: $0.appendingPathComponent(resumeMarkerName).path) }
            .map(\.lastPathComponent)
    }

    /// How the first approved batch was approved (`review/<name>/RESUME`, or `move to reviewed/<name>`), nil when none is.
    var approval: String? {
        if let resumed = folders(in: layout.review).first(where: {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent(resumeMarkerName).path)
        }) {
            return "review/\(resumed.lastPathComponent)/\(resumeMarkerName)"
        }
        return folders(in: layout.reviewed).first.map { "move to reviewed/\($0.lastPathComponent)" }
    }

    private func folders(in parent: URL) -> [URL] {
        // Dot names are staging folders still being written.
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []).filter { !$0.hasPrefix(".") }
        return names.sorted().map { parent.appendingPathComponent($0, isDirectory: true) }.filter { Self.runID(of: $0) == runID }
    }

    /// The run id in a folder's batch manifest, nil when the folder is not a library review batch.
    static func runID(of folder: URL) -> String? {
        let file = folder.appendingPathComponent(".sluice-batch.json")
        guard let data = try? Data(contentsOf: file), data.count < 64 << 20 else { return nil }
        return (try? JSONDecoder().decode(ReviewBatchManifest.self, from: data))?.job
    }
}
