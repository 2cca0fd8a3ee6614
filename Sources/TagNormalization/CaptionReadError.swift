/// A caption file that cannot be used as it is; the message names the file and what to do.
public enum CaptionReadError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notUTF8(path: String, byteOffset: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the caption (\(reason))."
        case .notUTF8(let path, let byteOffset):
            return "\(path): not UTF-8 (first bad byte at offset \(byteOffset)); re-save the caption as UTF-8. Nothing was rewritten."
        }
    }
}
