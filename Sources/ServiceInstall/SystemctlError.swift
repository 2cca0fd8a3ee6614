/// A systemctl command that exited non-zero.
public struct SystemctlError: Error, CustomStringConvertible {
    public let command: String
    public let status: Int32
    public let output: String

    public var description: String { "`\(command)` failed with exit status \(status): \(output)" }
}
