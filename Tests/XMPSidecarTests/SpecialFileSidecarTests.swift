import Foundation
import Glibc
import Testing
@testable import XMPSidecar

/// Sidecar names that are not regular files: `sidecar read` must refuse them at once, never hang or read forever.
@Suite struct SpecialFileSidecarTests {
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sidecar-special-\(UUID().uuidString)")

    private func image() throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("a.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xD9]).write(to: url)
        return url
    }

    @Test func fifoSidecarIsRefusedWithoutBlocking() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = try image()
        let sidecar = SidecarStore.sidecarURL(forImage: image).path
        #expect(mkfifo(sidecar, 0o600) == 0)
        let error = #expect(throws: SidecarError.self) { try SidecarStore().read(forImage: image) }
        guard case .cannotRead(let path, let reason) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(path == sidecar)
        #expect(reason.contains("FIFO"))
    }

    @Test func sidecarLinkedToDevZeroIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = try image()
        try FileManager.default.createSymbolicLink(
            atPath: SidecarStore.sidecarURL(forImage: image).path, withDestinationPath: "/dev/zero")
        #expect(throws: SidecarError.self) { try SidecarStore().read(forImage: image) }
    }

    @Test func oversizedSidecarIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = try image()
        let sidecar = SidecarStore.sidecarURL(forImage: image).path
        #expect(FileManager.default.createFile(atPath: sidecar, contents: nil))
        #expect(truncate(sidecar, off_t(SidecarStore.maximumSidecarBytes + 1)) == 0)
        let error = #expect(throws: SidecarError.self) { try SidecarStore().read(forImage: image) }
        #expect(error?.description.contains("over the limit") == true, "\(String(describing: error))")
    }

    @Test func missingSidecarIsStillNil() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try SidecarStore().read(forImage: image()) == nil)
    }
}
