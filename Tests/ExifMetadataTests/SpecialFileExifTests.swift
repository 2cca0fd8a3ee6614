import Foundation
import Glibc
import Testing
@testable import ExifMetadata

@Suite struct SpecialFileExifTests {
    @Test func fifoNamedLikeAnImageIsRefusedWithoutBlocking() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exif-special-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("photo.jpg").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let error = #expect(throws: ExifError.self) { try ExifFacts.read(from: fifo) }
        guard case .cannotRead(let path, let reason) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(path == fifo && reason.contains("FIFO"))
    }

    @Test func devZeroIsRefused() {
        #expect(throws: ExifError.self) { try ExifFacts.read(from: "/dev/zero") }
    }
}
