import CLinux
import Glibc

/// What kind of file system a path is on; inotify sees no remote changes on network file systems.
public enum FileSystemKind: Equatable, Sendable {
    case local
    case network(name: String)

    /// statfs magic numbers of the network file systems whose remote changes inotify cannot see.
    static let networkMagic: [Int: String] = [
        0x6969: "nfs",
        0xFF53_4D42: "cifs",
        0xFE53_4D42: "smb2",
        0x517B: "smb",
    ]

    /// Asks statfs(2) which kind of file system holds `path`.
    public static func of(path: String) -> FileSystemKind {
        var type = 0
        guard sluice_statfs_type(path, &type) == 0 else { return .local }
        let magic = Int(UInt32(truncatingIfNeeded: type))
        if let name = networkMagic[magic] { return .network(name: name) }
        return .local
    }
}
