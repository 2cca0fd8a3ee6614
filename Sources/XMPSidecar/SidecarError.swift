/// Why a sidecar could not be read or written; every message names the file.
public enum SidecarError: Error, CustomStringConvertible, Equatable, Sendable {
    case cannotRead(path: String, reason: String)
    /// The sidecar is not well-formed XML; `line` is 1-based.
    case malformed(path: String, line: Int, message: String)
    /// The sidecar is XML but has no `rdf:RDF` element.
    case notXMP(path: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            "\(path): cannot read the sidecar (\(reason)); check its permissions"
        case .malformed(let path, let line, let message):
            "\(path):\(line): the sidecar is not valid XML (\(message)); fix it or move it aside and write again"
        case .notXMP(let path):
            "\(path): the sidecar has no rdf:RDF element, so it is not XMP; move it aside and write again"
        case .cannotWrite(let path, let reason):
            "\(path): cannot write the sidecar (\(reason)); check the folder's permissions and free space"
        }
    }
}
