import Foundation

/// Where `final/` is synced to, as rsync understands it.
public enum SyncDestination: Equatable, Sendable, CustomStringConvertible {
    /// A folder on this machine, usually a mounted NAS share.
    case localPath(String)
    /// `host:path` or `user@host:path`, over ssh.
    case remoteShell(host: String, path: String)
    /// `rsync://host[:port]/module/path`, or `host::module/path`: an rsync daemon.
    case daemon(url: String)

    /// Parses a `sync.destination` value the way rsync itself tells a local path from a remote one.
    public init(parsing text: String) throws(SyncError) {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw .noDestination }
        guard !value.contains("\n"), !value.hasPrefix("-") else { throw .invalidDestination(text, "not a path or rsync target") }
        if value.lowercased().hasPrefix("rsync://") {
            let rest = value.dropFirst("rsync://".count)
            guard let slash = rest.firstIndex(of: "/"), rest[..<slash].isEmpty == false,
                  rest[rest.index(after: slash)...].isEmpty == false
            else { throw .invalidDestination(text, "an rsync URL needs a host and a module: rsync://host[:port]/module/path") }
            self = .daemon(url: value)
            return
        }
        let colon = value.firstIndex(of: ":")
        let slash = value.firstIndex(of: "/")
        if let colon, slash.map({ colon < $0 }) ?? true {
            let host = String(value[..<colon])
            let path = String(value[value.index(after: colon)...])
            guard !host.isEmpty else { throw .invalidDestination(text, "the host before ':' is empty") }
            if path.hasPrefix(":") {
                self = .daemon(url: "rsync://\(host)/\(path.dropFirst())")
                return
            }
            self = .remoteShell(host: host, path: path)
            return
        }
        self = .localPath(value)
    }

    /// The destination argument for rsync; a trailing slash so `final/`'s contents land inside it.
    public var rsyncArgument: String {
        switch self {
        case .localPath(let path): return path.hasSuffix("/") ? path : path + "/"
        case .remoteShell(let host, let path):
            let target = path.isEmpty ? "" : (path.hasSuffix("/") ? path : path + "/")
            return "\(host):\(target)"
        case .daemon(let url): return url.hasSuffix("/") ? url : url + "/"
        }
    }

    public var description: String {
        switch self {
        case .localPath(let path): return path
        case .remoteShell(let host, let path): return "\(host):\(path)"
        case .daemon(let url): return url
        }
    }
}
