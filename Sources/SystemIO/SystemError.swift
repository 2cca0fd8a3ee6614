import Glibc

/// A failed system call: which call, on which path, and the errno with its strerror text.
public struct SystemError: Error, CustomStringConvertible, Equatable, Sendable {
    public let call: String
    public let path: String?
    public let errno: Int32

    public init(_ call: String, path: String? = nil, errno: Int32 = Glibc.errno) {
        self.call = call
        self.path = path
        self.errno = errno
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        if let path { return "\(call) \(path): \(reason)" }
        return "\(call): \(reason)"
    }
}

/// Runs a system call again while it fails with EINTR, and turns -1 into a `SystemError`.
@discardableResult
public func retryOnInterrupt<T: BinaryInteger>(
    _ call: String, path: String? = nil, _ body: () -> T
) throws(SystemError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw SystemError(call, path: path, errno: code)
    }
}
