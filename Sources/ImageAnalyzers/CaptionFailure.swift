/// Why one image got no caption.
public struct CaptionFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
}
