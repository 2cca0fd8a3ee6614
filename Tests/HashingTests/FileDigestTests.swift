import Foundation
import Hashing
import Testing

@Test func sha256OfKnownBytesMatchesReference() throws {
    #expect(FileDigest.hex(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(FileDigest.hex(of: Data("abc".utf8), algorithm: .md5) == "900150983cd24fb0d6963f7d28e17f72")
}

@Test func fileDigestEqualsInMemoryDigest() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)").path
    var bytes = Data(count: 3 << 20)
    for index in stride(from: 0, to: bytes.count, by: 7) { bytes[index] = UInt8(index % 251) }
    try bytes.write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try FileDigest.hex(of: path) == FileDigest.hex(of: bytes))
}

@Test func missingFileNamesThePath() {
    #expect(throws: Error.self) { try FileDigest.hex(of: "/nonexistent/sluice-digest") }
    do { _ = try FileDigest.hex(of: "/nonexistent/sluice-digest") } catch { #expect("\(error)".contains("/nonexistent/sluice-digest")) }
}
