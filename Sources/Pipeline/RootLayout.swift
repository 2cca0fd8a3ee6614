import Configuration
import Foundation
import Jobs

/// The folders of one Sluice root (DESIGN §1): the user interface is where things sit.
public struct RootLayout: Sendable, Equatable {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public var inbox: URL { folder("inbox") }
    public var toAutotag: URL { folder("to-autotag") }
    public var downloads: URL { folder("downloads") }
    public var review: URL { folder("review") }
    public var reviewed: URL { folder("reviewed") }
    public var final: URL { folder("final") }
    public var state: URL { folder(".sluice") }
    public var configFile: URL { root.appendingPathComponent("sluice.yaml") }
    public var lockFile: URL { state.appendingPathComponent("lock") }
    public var pauseMarker: URL { root.appendingPathComponent("PAUSE") }

    /// The folders `sluice init` creates, in the order the README lists them.
    public var userFolders: [URL] { [inbox, toAutotag, downloads, review, reviewed, final, state] }

    /// The folders of a library root (`sluice init --profile library`): no auto-tagger round trip.
    public var libraryFolders: [URL] { [inbox, review, reviewed, final, state] }

    /// The folders of `profile`'s root.
    public func folders(for profile: SluiceConfig.Profile) -> [URL] { profile == .library ? libraryFolders : userFolders }

    /// A root has its config and the folders both profiles share (a library root has no to-autotag/ or downloads/).
    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: configFile.path) && libraryFolders.allSatisfy { FileManager.default.fileExists(atPath: $0.path) }
    }

    private func folder(_ name: String) -> URL { root.appendingPathComponent(name, isDirectory: true) }
}

/// The name of the marker that continues a job waiting in review/.
public let resumeMarkerName = ReviewFolderFiles.resumeMarker
/// Sluice's own note inside a review folder naming the job, so the folder can be found after the user moves it.
public let jobTagFileName = ReviewFolderFiles.jobTag
/// The review summary Sluice writes beside the dataset.
public let reviewFileName = ReviewFolderFiles.report
