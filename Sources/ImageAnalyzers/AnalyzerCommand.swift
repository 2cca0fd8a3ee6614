/// One external analyzer as configured in `analyze.analyzers`: its name, command line and limits.
public struct AnalyzerCommand: Equatable, Sendable {
    /// Names the analyzer in logs, manifests and "not analyzed" reasons.
    public var name: String
    /// The program (a path, or a name looked up on PATH) and its arguments.
    public var arguments: [String]
    /// How long the analyzer may take to print its ready line after starting (model loading).
    public var startupTimeout: Duration
    /// How long one image may take.
    public var imageTimeout: Duration
    /// Restarts allowed in one run after crashes, hangs or garbage; after that the analyzer is off for the run.
    public var maximumRestarts: Int
    /// Folder the analyzer runs in (relative paths in `arguments` are resolved by the analyzer against it).
    public var workingDirectory: String?

    public init(
        name: String, arguments: [String], startupTimeout: Duration = .seconds(120), imageTimeout: Duration = .seconds(30),
        maximumRestarts: Int = 3, workingDirectory: String? = nil
    ) {
        precondition(!arguments.isEmpty, "an analyzer needs a program")
        self.name = name
        self.arguments = arguments
        self.startupTimeout = startupTimeout
        self.imageTimeout = imageTimeout
        self.maximumRestarts = maximumRestarts
        self.workingDirectory = workingDirectory
    }
}
