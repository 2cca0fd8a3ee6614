import Foundation
import SystemIO

/// `.sluice-review.json`: the screen's per-image decisions, so quitting and reopening keeps them.
public struct ReviewProgress: Codable, Sendable, Equatable {
    public var schema = 1
    public var decisions: [String: ReviewDecision] = [:]
    /// Set once the batch was approved (RESUME written) from the screen or a bulk flag.
    public var finishedAt: Date?

    public init() {}

    public static let fileName = ".sluice-review.json"

    /// Reads the progress file; a missing one is empty, a malformed one is an error naming it.
    public static func load(from folder: URL) throws -> ReviewProgress {
        let url = folder.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else { return ReviewProgress() }
        do { return try decoder.decode(ReviewProgress.self, from: data) } catch {
            throw ReviewError.malformed(file: url.path, reason: "\(error)")
        }
    }

    public func save(to folder: URL) throws {
        try FileOperations.writeAtomically(try Self.encoder.encode(self), to: folder.appendingPathComponent(Self.fileName))
    }

    /// Takes every decision of `other` that is newer than ours (another `sluice review` on the same folder).
    public mutating func merge(_ other: ReviewProgress) {
        for (file, decision) in other.decisions where (decisions[file]?.at ?? .distantPast) < decision.at {
            decisions[file] = decision
        }
        if finishedAt == nil { finishedAt = other.finishedAt }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.timeIntervalSince1970)
        }
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            Date(timeIntervalSince1970: try decoder.singleValueContainer().decode(Double.self))
        }
        return decoder
    }()
}
