/// Why learning could not read or record something, naming the file.
public enum LearningError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedManifest(path: String, reason: String)
    case store(String)

    public var description: String {
        switch self {
        case .malformedManifest(let path, let reason): return "\(path): not a list of placed images: \(reason)"
        case .store(let message): return message
        }
    }
}
