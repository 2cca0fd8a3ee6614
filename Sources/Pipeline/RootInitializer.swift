import Configuration
import Foundation

/// `sluice init ROOT`: the folders and a commented config with every setting at its default.
public enum RootInitializer {
    public enum Failure: Error, CustomStringConvertible {
        case configExists(String)
        case cannotCreate(String, String)

        public var description: String {
            switch self {
            case .configExists(let path): "\(path) already exists; not overwriting it (edit it, or remove it to start over)"
            case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
            }
        }
    }

    /// Creates the root; refuses to overwrite an existing config.
    @discardableResult
    public static func initialize(
        _ layout: RootLayout, profile: SluiceConfig.Profile = .dataset, userDownloads: String? = DefaultConfigFile.userDownloadDirectory()
    ) throws -> URL {
        if FileManager.default.fileExists(atPath: layout.configFile.path) {
            throw Failure.configExists(layout.configFile.path)
        }
        for folder in [layout.root] + layout.folders(for: profile) {
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw Failure.cannotCreate(folder.path, error.localizedDescription)
            }
        }
        let text = profile == .library
            ? DefaultConfigFile.libraryText() : DefaultConfigFile.text(extraDownloadDirectories: userDownloads.map { [$0] } ?? [])
        guard FileManager.default.createFile(atPath: layout.configFile.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Failure.cannotCreate(layout.configFile.path, "write failed")
        }
        return layout.configFile
    }
}
