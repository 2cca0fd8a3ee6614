import Foundation
import Testing
import ReviewSession

/// `sluice review` in a real terminal (tmux), half-block thumbnails.
@Suite(.serialized) struct ReviewScreenTerminalTests {
    /// A fake $EDITOR: replaces the file it is given with a fixed edit.
    static func fakeEditor(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("fake-editor.sh").path
        try Data("#!/bin/sh\nprintf 'character:hatsune miku\\ngeneral:edited by editor\\n' > \"$1\"\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return path
    }

    static func thickestThumbnailRow(_ screen: String) -> Int {
        screen.split(separator: "\n").map { $0.filter { $0 == "▀" }.count }.max() ?? 0
    }

    @Test func approveToggleUndoRejectEditQuitReopenAndResize() async throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch()
        let editor = try Self.fakeEditor(in: fixtures.root)
        let pane = try TmuxPane(columns: 120, rows: 40)
        defer { pane.close() }
        let command = "EDITOR=\(editor) \(sluiceExecutable) review pixiv__batch-1 --root \(fixtures.root.path) --thumbnails blocks"
        try pane.type(command)
        #expect(await pane.waitFor { $0.contains("miku.jpg") && $0.contains("[x] hatsune miku") && $0.contains("93.1%") })
        // The thumbnail: a 4:3 picture in a 54-column box is 54 half blocks wide.
        #expect(await pane.waitFor { Self.thickestThumbnailRow($0) == 54 })
        let miku = folder.appendingPathComponent("miku.jpg.tags.txt")

        try pane.press("Down", "Down", "Space")
        #expect(await pane.waitFor("> [ ] twintails"))
        try pane.press("a")
        #expect(await pane.waitFor("rin.png"))
        #expect(miku.text == "character:hatsune miku\ncopyright:vocaloid\ngeneral:long hair\n")

        try pane.press("u")
        #expect(await eventually { miku.text?.contains("general:twintails") == true })
        #expect(await pane.waitFor { $0.contains("miku.jpg") && $0.contains("decision: waiting") })

        try pane.press("a")
        #expect(await pane.waitFor("rin.png"))
        try pane.press("r")
        #expect(await eventually { !FileManager.default.fileExists(atPath: folder.appendingPathComponent("rin.png.tags.txt").path) })
        #expect(await pane.waitFor("sky.webp"))

        try pane.resize(columns: 80, rows: 30)
        #expect(await pane.waitFor { Self.thickestThumbnailRow($0) == 40 && $0.contains("sky.webp") })

        try pane.press("q")
        #expect(await pane.waitFor("2 of 3 decided"))
        #expect(await pane.waitFor("READY$"))

        try pane.type(command)
        #expect(await pane.waitFor { $0.contains("sky.webp") && $0.contains("2 decided") })
        try pane.press("Left", "Left")
        #expect(await pane.waitFor("decision: approved (screen)"))
        try pane.press("Right", "Right", "e")
        let sky = folder.appendingPathComponent("sky.webp.tags.txt")
        #expect(await eventually { sky.text == "character:hatsune miku\ngeneral:edited by editor\n" })
        #expect(await eventually { FileManager.default.fileExists(atPath: folder.appendingPathComponent("RESUME").path) })
        #expect(await pane.waitFor("batch approved"))
        try pane.press("q")
        #expect(await pane.waitFor("3 of 3 decided, batch approved"))
        let log = try #require(folder.appendingPathComponent("REVIEW.md").text)
        for line in ["screen · approved (3 tags) · miku.jpg", "screen · undo · miku.jpg", "screen · rejected (tags file deleted) · rin.png",
                     "screen · edited (2 tags) · sky.webp", "batch approved"] {
            #expect(log.contains(line), "REVIEW.md lacks \(line)")
        }
    }

    @Test func bulkApproveKeyApprovesEveryRemainingImage() async throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch(name: "pixiv__batch-2")
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tags.txt") }
            .map { folder.appendingPathComponent($0).text }
        let pane = try TmuxPane()
        defer { pane.close() }
        try pane.type("\(sluiceExecutable) review --root \(fixtures.root.path) --thumbnails blocks")
        #expect(await pane.waitFor("miku.jpg"))
        try pane.press("A")
        #expect(await eventually { FileManager.default.fileExists(atPath: folder.appendingPathComponent("RESUME").path) })
        #expect(await pane.waitFor("3 decided"))
        let after = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tags.txt") }
            .map { folder.appendingPathComponent($0).text }
        #expect(before == after)
        try pane.press("q")
        #expect(await pane.waitFor("READY$"))
    }

    @Test func handEditWhileTheScreenIsOpenIsReloadedAndNotOverwritten() async throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch()
        let pane = try TmuxPane()
        defer { pane.close() }
        try pane.type("\(sluiceExecutable) review pixiv__batch-1 --root \(fixtures.root.path) --thumbnails blocks")
        #expect(await pane.waitFor("[x] hatsune miku"))
        try pane.press("Space")
        #expect(await pane.waitFor("[ ] hatsune miku"))
        let miku = folder.appendingPathComponent("miku.jpg.tags.txt")
        try Data("character:hatsune miku\ngeneral:from the folder\n".utf8).write(to: miku)
        // The screen notices within its refresh period and shows the newer file; approving then keeps it.
        #expect(await pane.waitFor("[x] from the folder"))
        try pane.press("a")
        #expect(await pane.waitFor("rin.png"))
        #expect(miku.text == "character:hatsune miku\ngeneral:from the folder\n")
        try pane.press("q")
        #expect(await pane.waitFor("READY$"))
        #expect(folder.appendingPathComponent("REVIEW.md").text?.contains("folder · edited by hand · miku.jpg") == true)
    }

    @Test func datasetJobShowsCaptionAndDiffAndAsksBeforeEmptying() async throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let (_, folder) = try fixtures.datasetJob()
        let pane = try TmuxPane()
        defer { pane.close() }
        try pane.type("\(sluiceExecutable) review mika --root \(fixtures.root.path) --thumbnails blocks")
        #expect(await pane.waitFor { $0.contains("001.png") && $0.contains("[x] smile") && $0.contains("- highres") })
        try pane.press("r")
        #expect(await pane.waitFor("Empty the caption of 001.png?"))
        try pane.press("n")
        #expect(await pane.waitFor { !$0.contains("Empty the caption") })
        #expect(folder.appendingPathComponent("001.txt").text == "1girl, solo, smile, outdoors\n")
        try pane.press("r", "y")
        #expect(await eventually { folder.appendingPathComponent("001.txt").text == "" })
        #expect(await pane.waitFor("002.png"))
        try pane.press("q")
        #expect(await pane.waitFor("READY$"))
    }

    @Test func sigtermRestoresTheTerminal() async throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        try fixtures.libraryBatch()
        let before = fixtures.root.appendingPathComponent("stty-before.txt").path
        let after = fixtures.root.appendingPathComponent("stty-after.txt").path
        let pane = try TmuxPane()
        defer { pane.close() }
        try pane.type("stty -a > \(before); \(sluiceExecutable) review --root \(fixtures.root.path) --thumbnails blocks; stty -a > \(after); echo STTY-$((1+1))-SAVED")
        #expect(await pane.waitFor("miku.jpg"))
        let pid = try #require(pane.childPID())
        kill(pid, SIGTERM)
        #expect(await pane.waitFor("STTY-2-SAVED"))
        let settingsBefore = Set(try String(contentsOfFile: before, encoding: .utf8).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }))
        let settingsAfter = Set(try String(contentsOfFile: after, encoding: .utf8).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }))
        #expect(settingsBefore == settingsAfter, "changed: \(settingsBefore.symmetricDifference(settingsAfter).sorted())")
        #expect(!pane.capture().contains("sluice review ·"))
    }

    @Test func withoutATerminalTheScreenRefusesAndNamesTheBulkFlags() throws {
        let fixtures = try ReviewFixtures()
        defer { fixtures.remove() }
        let folder = try fixtures.libraryBatch()
        let refused = try run(["review", "--root", fixtures.root.path])
        #expect(refused.status != 0)
        #expect(refused.output.contains("--approve-all") && refused.output.contains("--approve-above"))
        let bulk = try run(["review", "pixiv__batch-1", "--root", fixtures.root.path, "--approve-above", "90"])
        #expect(bulk.status == 0)
        #expect(bulk.output.contains("2 approved at or above 90"))
        let rest = try run(["review", folder.path, "--reject-all"])
        #expect(rest.output.contains("1 rejected"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("RESUME").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("rin.png.tags.txt").path))
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sluiceExecutable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning { usleep(10_000) }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
