import Foundation
import SystemIO

/// Which returned file is which original (DESIGN §4): by SHA-256 first, then by perceptual hash and aspect ratio for
/// re-encoded images; a file that matches nothing is reported, never guessed.
public struct ResultMapping: Codable, Equatable, Sendable {
    public struct Pair: Codable, Equatable, Sendable {
        public let result: String
        public let original: String
        public let byContent: Bool
    }

    public let pairs: [Pair]
    public let unmatched: [String]
    /// The share of the result's images that matched this manifest, 0…1.
    public let score: Double

    public var exactMatches: Int { pairs.filter(\.byContent).count }

    /// A result goes to a job only when at least this share of its images are that job's.
    static let acceptScore = 0.5

    static func make(manifest: UploadManifest, images: [ResultImage]) -> ResultMapping {
        let matches = ResultMatcherAdapter.match(manifest: manifest, images: images)
        let matched = Set(matches.map(\.result))
        let unmatched = images.map(\.name).filter { !matched.contains($0) }
        let score = images.isEmpty ? 0 : Double(matches.count) / Double(images.count)
        return ResultMapping(pairs: matches.sorted { $0.result < $1.result }, unmatched: unmatched, score: score)
    }

    static func file(in jobFolder: URL) -> URL { jobFolder.appendingPathComponent("result-mapping.json") }

    static func exists(in jobFolder: URL) -> Bool { FileManager.default.fileExists(atPath: file(in: jobFolder).path) }

    static func load(from jobFolder: URL) throws -> ResultMapping {
        try JSONDecoder().decode(ResultMapping.self, from: Data(contentsOf: file(in: jobFolder)))
    }

    func save(in jobFolder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileOperations.writeAtomically(try encoder.encode(self), to: Self.file(in: jobFolder))
    }
}
