import Testing
@testable import NASSync

@Suite("NASSync parsing: destinations, itemized changes, progress, exit codes (pure)")
struct SyncParsingTests {
    @Test func destinationsAreToldApartAsRsyncDoes() throws {
        #expect(try SyncDestination(parsing: "/mnt/nas/pictures") == .localPath("/mnt/nas/pictures"))
        #expect(try SyncDestination(parsing: "nas:pictures") == .remoteShell(host: "nas", path: "pictures"))
        #expect(try SyncDestination(parsing: "me@nas:/volume1/pics") == .remoteShell(host: "me@nas", path: "/volume1/pics"))
        #expect(try SyncDestination(parsing: "rsync://127.0.0.1:8873/pics/sub") == .daemon(url: "rsync://127.0.0.1:8873/pics/sub"))
        #expect(try SyncDestination(parsing: "nas::pics/sub") == .daemon(url: "rsync://nas/pics/sub"))
        #expect(try SyncDestination(parsing: "./odd:name") == .localPath("./odd:name"))
        #expect(throws: SyncError.noDestination) { try SyncDestination(parsing: "  ") }
        #expect(throws: SyncError.self) { try SyncDestination(parsing: "rsync://hostonly") }
        #expect(throws: SyncError.self) { try SyncDestination(parsing: "--delete") }
        #expect(SyncDestination.localPath("/mnt/nas").rsyncArgument == "/mnt/nas/")
    }

    @Test(arguments: [
        ("<f+++++++++ Fanart/a.jpg", ItemizedChange.Kind.fileSent, "Fanart/a.jpg"),
        (">f.st...... Fanart/b c.jpg", .fileSent, "Fanart/b c.jpg"),
        ("cd+++++++++ Fanart/", .other, "Fanart/"),
        (".d..t...... Fanart/", .other, "Fanart/"),
        ("*deleting   Old/x.jpg", .deleted, "Old/x.jpg"),
        (">f+++++++++ new\\#012line.jpg", .fileSent, "new\nline.jpg"),
    ])
    func itemizedLinesAreParsed(line: String, kind: ItemizedChange.Kind, path: String) throws {
        let change = try #require(ItemizedChange(line: line))
        #expect(change.kind == kind)
        #expect(change.path == path)
    }

    @Test func nonItemizedLinesAreNotChanges() {
        #expect(ItemizedChange(line: "sending incremental file list") == nil)
        #expect(ItemizedChange(line: "      1,234 100%   1.00MB/s    0:00:00 (xfr#1, to-chk=0/3)") == nil)
    }

    @Test func progressLinesGiveBytesRateAndTimeLeft() throws {
        let progress = try #require(TransferProgress(line: "    104,857,600  45%   12.50MB/s    0:00:09 (xfr#12, to-chk=88/200)"))
        #expect(progress.bytes == 104_857_600)
        #expect(progress.percent == 45)
        #expect(progress.bytesPerSecond == 12.5 * 1_048_576)
        #expect(progress.remainingSeconds == 9)
        #expect(progress.filesToCheck == 88)
        #expect(progress.filesTotal == 200)
        #expect(progress.summary.contains("12.5 MB/s"))
        #expect(TransferProgress(line: "<f+++++++++ a.jpg") == nil)
    }

    @Test func transientExitCodesAreTheDocumentedOnes() {
        for code: Int32 in [10, 12, 23, 24, 30, 35] { #expect(RsyncExitCode.isTransient(code)) }
        for code: Int32 in [0, 1, 2, 3, 5, 11, 20, 25] { #expect(!RsyncExitCode.isTransient(code)) }
        #expect(RsyncExitCode.message(for: 11).contains("full"))
        #expect(SyncError.rsyncFailed(code: 10, attempts: 4, detail: "").description.contains("after 4 attempts"))
    }

    @Test func argumentsKeepSluiceFilesAndTemporaryNamesHome() {
        var settings = SyncSettings(destination: .localPath("/mnt/nas"))
        settings.config.maxDeletions = 7
        let arguments = RsyncArguments(source: "/root/final", settings: settings)
        let transfer = arguments.transfer(dryRun: false, delete: true, progress: true)
        #expect(transfer.suffix(2) == ["/root/final/", "/mnt/nas/"])
        #expect(transfer.contains("--exclude=.*"))
        #expect(transfer.contains("--exclude=*.part.xmp"))
        #expect(transfer.contains("--max-delete=7"))
        #expect(transfer.contains("--partial-dir=.sluice-partial"))
        #expect(!transfer.contains("--links"))
        #expect(arguments.verification(fileList: "/tmp/l").contains("--checksum"))
        #expect(settings.delay(beforeRetry: 1) == 5 && settings.delay(beforeRetry: 3) == 20)
    }
}
