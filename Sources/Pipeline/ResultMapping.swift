import Foundation
import Jobs
import ResultMatching
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
    /// How well the result fits the manifest, 0…1 (twice the matches over the images on both sides).
    public let score: Double

    public var exactMatches: Int { pairs.filter(\.byContent).count }

    /// A result goes to a job only when it fits that job's upload at least this well.
    static let acceptScore = 0.5

    /// Matches a result's fingerprinted images against a job's upload manifest; ambiguous files stay unmatched.
    static func make(manifest: UploadManifest, images: [ResultImage], undecodable: [String] = []) -> ResultMapping {
        let entries = manifest.entries.compactMap { entry in
            entry.perceptualHash.flatMap { UInt64($0, radix: 16) }.map { hash in
                ManifestEntry(originalPath: entry.original, sha256: entry.sha256, size: entry.size, width: entry.width, height: entry.height, perceptualHash: hash)
            }
        }
        let report = ResultMatcher.match(manifest: entries, results: images)
        let pairs = report.matches.map { Pair(result: $0.resultName, original: $0.originalPath, byContent: $0.kind == .exact) }
        let unmatched = (report.unmatchedResults + report.ambiguousResults + undecodable).sorted()
        return ResultMapping(pairs: pairs.sorted { $0.result < $1.result }, unmatched: unmatched, score: report.score)
    }

    static func exists(in folder: JobFolder) -> Bool { FileManager.default.fileExists(atPath: folder.resultMapping.path) }

    static func load(from folder: JobFolder) throws -> ResultMapping {
        try JSONDecoder().decode(ResultMapping.self, from: Data(contentsOf: folder.resultMapping))
    }

    func save(in folder: JobFolder) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileOperations.writeAtomically(try encoder.encode(self), to: folder.resultMapping)
    }
}
