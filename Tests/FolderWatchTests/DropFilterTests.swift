import Foundation
import Testing

@testable import FolderWatch

@Suite struct DropFilterTests {
    @Test(arguments: [
        ("photo.jpg.crdownload", true), ("set.zip.part", true), ("Unconfirmed 1234.download", true),
        ("x.TMP", true), (".DS_Store", true), (".hidden-dataset", true),
        ("dataset", false), ("result.zip", false), ("partial.zip", false), ("my.part.two", false),
    ])
    func temporaryAndHiddenNamesNeverCount(name: String, isIgnored: Bool) {
        #expect(DropFilter().isIgnored(name: name) == isIgnored)
    }

    @Test(arguments: [("set.zip.part", "set.zip"), ("a.CRDOWNLOAD", "a"), ("plain.zip", nil), (".part", nil)])
    func temporarySuffixIsStrippedToFindTheTwin(name: String, twin: String?) {
        #expect(DropFilter().nameWithoutTemporarySuffix(name) == twin)
    }

    @Test func emptyFileWithPartTwinIsHeldUntilTheTwinIsGone() throws {
        let folder = try TemporaryFolder()
        let empty = try folder.file("set.zip", bytes: 0)
        try folder.file("set.zip.part", bytes: 100)
        let filter = DropFilter()
        let reason = filter.blockingReason(directory: folder.url, name: "set.zip", snapshot: EntrySnapshot.take(empty)!)
        #expect(reason?.contains("set.zip.part") == true)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("set.zip.part"))
        #expect(filter.blockingReason(directory: folder.url, name: "set.zip", snapshot: EntrySnapshot.take(empty)!) == nil)
    }

    @Test func folderHoldingADownloadInProgressDoesNotCount() throws {
        let folder = try TemporaryFolder()
        let dataset = try folder.folder("dataset")
        try folder.file("dataset/1.png")
        try folder.file("dataset/2.png.crdownload")
        let reason = DropFilter().blockingReason(
            directory: folder.url, name: "dataset", snapshot: EntrySnapshot.take(dataset)!)
        #expect(reason?.contains("2.png.crdownload") == true)
    }

    @Test func dotFilesInsideAFolderDoNotHoldIt() throws {
        let folder = try TemporaryFolder()
        let dataset = try folder.folder("dataset")
        try folder.file("dataset/1.png")
        try folder.file("dataset/.DS_Store")
        #expect(DropFilter().blockingReason(directory: folder.url, name: "dataset", snapshot: EntrySnapshot.take(dataset)!) == nil)
    }

    @Test func pluggedCompletenessCheckHoldsATruncatedZip() throws {
        let folder = try TemporaryFolder()
        let zip = folder.url.appendingPathComponent("result.zip")
        let source = try folder.file("caption.txt", bytes: 300)
        let zipTool = Process()
        zipTool.executableURL = URL(fileURLWithPath: "/usr/bin/zip")
        zipTool.arguments = ["-q", "-j", zip.path, source.path]
        try zipTool.run()
        zipTool.waitUntilExit()
        let filter = DropFilter(isFileComplete: Self.zipCentralDirectoryReads)
        #expect(filter.blockingReason(directory: folder.url, name: "result.zip", snapshot: EntrySnapshot.take(zip)!) == nil)

        let whole = try Data(contentsOf: zip)
        try whole.prefix(whole.count - 30).write(to: zip)
        let reason = filter.blockingReason(directory: folder.url, name: "result.zip", snapshot: EntrySnapshot.take(zip)!)
        #expect(reason?.contains("result.zip is not complete") == true)
    }

    /// A caller's check: a zip counts once its end-of-central-directory record is there.
    @Sendable static func zipCentralDirectoryReads(_ url: URL) -> Bool {
        guard url.pathExtension.lowercased() == "zip" else { return true }
        guard let data = try? Data(contentsOf: url), data.count >= 22 else { return false }
        let tail = data.suffix(65_557)
        let signature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        return tail.indices.reversed().contains { index in
            index + 4 <= tail.endIndex && Array(tail[index..<index + 4]) == signature
        }
    }
}
