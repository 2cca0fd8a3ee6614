import Foundation
import Jobs
import SystemIO

/// What step B put into the auto-tagger zip: each entry's original file and the fingerprints to find it again.
public struct UploadManifest: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        /// The name inside the upload zip.
        public let entry: String
        /// The original's path relative to the dataset.
        public let original: String
        /// SHA-256 of the bytes that were zipped (after metadata stripping, when that is on).
        public let sha256: String
        public let size: Int
        public let width: Int
        public let height: Int
        public let perceptualHash: String?
    }

    public let zip: String
    public let createdAt: Date
    public let entries: [Entry]

    static func load(from folder: JobFolder) throws -> UploadManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(UploadManifest.self, from: Data(contentsOf: folder.uploadManifest))
    }

    func save(in folder: JobFolder) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try FileOperations.writeAtomically(try encoder.encode(self), to: folder.uploadManifest)
    }
}
