import Foundation
import Hashing
@testable import Pipeline
import Testing

/// The final zip reuses step A's SHA-256 only for files that are still the very files step A hashed.
@Suite struct IndexedDigestsTests {
    /// source/ with one image and a final stage beside it; returns both folders and the image's recorded index entry.
    static func folders() throws -> (root: URL, source: URL, stage: URL, index: DatasetIndex) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("indexed-\(UUID().uuidString)")
        let source = root.appendingPathComponent("source"), stage = root.appendingPathComponent("final")
        try FileManager.default.createDirectory(at: source.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: stage.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let bytes = Data((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try bytes.write(to: source.appendingPathComponent("sub/a.png"))
        var index = DatasetIndex()
        index.images = [DatasetIndex.Image(
            path: "sub/a.png", sha256: FileDigest.hex(of: bytes), size: bytes.count, width: 10, height: 10, format: "png",
            perceptualHash: nil)]
        return (root, source, stage, index)
    }

    @Test func aHardLinkToTheHashedFileKeepsItsDigest() throws {
        let (root, source, stage, index) = try Self.folders()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.linkItem(at: source.appendingPathComponent("sub/a.png"), to: stage.appendingPathComponent("sub/a.png"))
        let digests = IndexedDigests(index: index, source: source, finalStage: stage)
        #expect(digests.sha256(of: "sub/a.png") == index.images[0].sha256)
        #expect(digests.sha256(of: "sub/other.png") == nil, "a path the index does not know")
    }

    @Test func aCopyIsHashedAgainEvenWithTheSameBytes() throws {
        let (root, source, stage, index) = try Self.folders()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: source.appendingPathComponent("sub/a.png"), to: stage.appendingPathComponent("sub/a.png"))
        #expect(IndexedDigests(index: index, source: source, finalStage: stage).sha256(of: "sub/a.png") == nil)
    }

    @Test func aSymlinkOrAChangedSizeIsHashedAgain() throws {
        let (root, source, stage, index) = try Self.folders()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(
            at: stage.appendingPathComponent("sub/a.png"), withDestinationURL: source.appendingPathComponent("sub/a.png"))
        #expect(IndexedDigests(index: index, source: source, finalStage: stage).sha256(of: "sub/a.png") == nil)

        try FileManager.default.removeItem(at: stage.appendingPathComponent("sub/a.png"))
        try FileManager.default.linkItem(at: source.appendingPathComponent("sub/a.png"), to: stage.appendingPathComponent("sub/a.png"))
        let handle = try FileHandle(forWritingTo: source.appendingPathComponent("sub/a.png"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([1, 2, 3]))
        try handle.close()
        #expect(IndexedDigests(index: index, source: source, finalStage: stage).sha256(of: "sub/a.png") == nil)
    }
}
