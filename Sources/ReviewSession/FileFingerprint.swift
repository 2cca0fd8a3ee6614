import Foundation
import Glibc

/// What a small file looked like when last read or written: a change in any part means someone else wrote it.
public struct FileFingerprint: Sendable, Equatable {
    /// Nil when the file did not exist.
    public let content: Data?
    public let size: Int
    public let modifiedNanoseconds: Int

    public static let absent = FileFingerprint(content: nil, size: -1, modifiedNanoseconds: 0)

    /// Reads the file's stat and content (decision files are small: capped at 1 MiB, larger reads as changed).
    public static func of(_ url: URL) -> FileFingerprint {
        var info = stat()
        guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .absent }
        let nanoseconds = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        let content = info.st_size <= 1 << 20 ? (try? Data(contentsOf: url)) : Data()
        return FileFingerprint(content: content ?? Data(), size: Int(info.st_size), modifiedNanoseconds: nanoseconds)
    }

    public var exists: Bool { content != nil }
    public var text: String? { content.map { String(decoding: $0, as: UTF8.self) } }
}
