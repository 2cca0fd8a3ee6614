import Foundation
import SystemIO

/// A user's request about a job (pause, resume, stop, retry), queued as a file so the CLI and the daemon share one path.
public struct ControlRequest: Codable, Equatable, Sendable {
    public enum Action: String, Codable, CaseIterable, Sendable { case pause, resume, stop, retry }

    public let jobID: String
    public let action: Action
    public let requestedAt: Date
    /// Where it came from, for the job log: "cli", "RESUME marker", "moved to reviewed/".
    public let origin: String

    public init(jobID: String, action: Action, requestedAt: Date, origin: String) {
        self.jobID = jobID
        self.action = action
        self.requestedAt = requestedAt
        self.origin = origin
    }

    public var event: JobEvent { Self.event(for: action) }

    /// The state machine's event for an action.
    public static func event(for action: Action) -> JobEvent {
        switch action {
        case .pause: .pause
        case .resume: .resume
        case .stop: .stop
        case .retry: .retry
        }
    }
}

/// The queue of control requests in `.sluice/requests/`: written atomically, consumed after they are applied.
public struct ControlQueue: Sendable {
    public let directory: URL

    public init(stateDirectory: URL) {
        directory = stateDirectory.appendingPathComponent("requests", isDirectory: true)
    }

    public func submit(_ request: ControlRequest) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stamp = String(format: "%.6f", request.requestedAt.timeIntervalSince1970)
        let name = "\(stamp)-\(request.action.rawValue)-\(UUID().uuidString.prefix(8)).json"
        try FileOperations.writeAtomically(try JSONEncoder().encode(request), to: directory.appendingPathComponent(name))
    }

    /// Pending requests in the order they were made, each with the file to remove once applied.
    public func pending() -> [(request: ControlRequest, file: URL)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.sorted().filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap { name in
            let url = directory.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url), let request = try? JSONDecoder().decode(ControlRequest.self, from: data) else {
                return nil
            }
            return (request, url)
        }
    }

    public func consume(_ file: URL) {
        try? FileManager.default.removeItem(at: file)
    }
}
