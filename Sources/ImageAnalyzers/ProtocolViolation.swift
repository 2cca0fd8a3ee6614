/// An analyzer line that breaks the protocol; the analyzer is restarted, since its output can no longer be trusted.
public struct ProtocolViolation: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
