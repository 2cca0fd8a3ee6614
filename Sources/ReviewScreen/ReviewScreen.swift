import Foundation
import Imaging
import ReviewSession
import TerminalUI

/// The interactive review: raw terminal, thumbnail, tags and keys, driving one `ReviewSession`.
public final class ReviewScreen {
    private let session: ReviewSession
    private let label: String
    private let requestedMode: ThumbnailMode?
    private let threshold: Double
    private let environment: [String: String]
    private let terminal = RawTerminal()
    private let thumbnails = ThumbnailCache()
    private var mode: ThumbnailMode = .blocks
    private var size = TerminalSize(columns: 80, rows: 24)
    private var prompt: String?
    private var pendingReject: Int?
    private var showsHelp = false

    public init(
        session: ReviewSession, label: String, thumbnails: ThumbnailMode?, threshold: Double,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.session = session
        self.label = label
        self.requestedMode = thumbnails
        self.threshold = threshold
        self.environment = environment
    }

    /// Runs until the user quits; the terminal is restored on every way out.
    public func run() {
        terminal.enter()
        defer { terminal.leave() }
        mode = requestedMode ?? ThumbnailMode.detect(environment: environment, terminal: terminal)
        size = RawTerminal.size()
        draw()
        while true {
            guard let bytes = terminal.read(timeoutMilliseconds: 300) else {
                if !session.refresh().isEmpty { draw() }
                continue
            }
            if bytes.isEmpty {
                size = RawTerminal.size()
                draw()
                continue
            }
            for key in KeyDecoder.decode(bytes) {
                if !handle(key) { return }
            }
            draw()
        }
    }

    /// Acts on one key; false to quit.
    private func handle(_ key: Key) -> Bool {
        let index = session.state.current
        if showsHelp {
            showsHelp = false
            return true
        }
        if let rejecting = pendingReject {
            pendingReject = nil
            prompt = nil
            if key == .character("y") || key == .character("Y") {
                if session.reject(rejecting) == .written { advance() }
            }
            return true
        }
        switch key {
        case .character("q"), .controlC, .controlD: return false
        case .character("?"): showsHelp = true
        case .character("a"): if session.approve(index) == .written { advance() }
        case .character("r"):
            if session.state.kind.isDataset {
                pendingReject = index
                prompt = "Empty the caption of \(session.state.images[index].file)? A backup is kept in .sluice-review-backups/. y/n"
            } else if session.reject(index) == .written {
                advance()
            }
        case .character("e"): edit(index)
        case .character(" "): session.toggleSelectedTag()
        case .character("s"):
            session.skip(index)
            advance()
        case .character("A"): session.approveAllRemaining()
        case .character("S"): session.skipAllRemaining()
        case .character("c"): session.approveConfident(threshold: threshold)
        case .character("u"): session.undo()
        case .right, .character("j"), .character("l"): session.move(by: 1)
        case .left, .character("k"), .character("h"): session.move(by: -1)
        case .down, .tab: session.moveTag(by: 1)
        case .up: session.moveTag(by: -1)
        default: break
        }
        return true
    }

    /// Moves to the next image still waiting after the current one.
    private func advance() {
        let state = session.state
        guard let next = state.firstPending(from: state.current + 1) else { return }
        session.select(next)
    }

    /// Hands the terminal to $EDITOR on a copy of the decision file's text, then writes what it saved.
    private func edit(_ index: Int) {
        let image = session.state.images[index]
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-edit-\(getpid())-" + (session.state.kind.decisionFile(for: image.file) as NSString).lastPathComponent)
        do { try Data(session.state.approvedText(at: index).utf8).write(to: temporary) } catch { return }
        defer { try? FileManager.default.removeItem(at: temporary) }
        terminal.leave()
        let editor = environment["VISUAL"] ?? environment["EDITOR"] ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$1\"", "sluice-edit", temporary.path]
        var status: Int32 = -1
        do {
            try process.run()
            process.waitUntilExit()
            status = process.terminationStatus
        } catch {}
        terminal.enter()
        size = RawTerminal.size()
        guard status == 0, let text = try? String(contentsOf: temporary, encoding: .utf8) else {
            prompt = nil
            _ = session.refresh()
            return
        }
        if session.edit(index, text: text) == .written { advance() }
    }

    private func draw() {
        let frame = ScreenFrame(
            state: session.state, label: label, size: size, mode: mode, threshold: threshold, message: session.message,
            prompt: prompt, showsHelp: showsHelp)
        var out = mode == .kitty ? KittyGraphics.deleteAll : ""
        out += frame.render()
        if frame.thumbnailColumns > 0, !showsHelp, let image = session.state.currentImage {
            out += drawThumbnail(image.file, columns: frame.thumbnailColumns, rows: frame.thumbnailRows)
        }
        terminal.write(out)
        prefetchNeighbours(columns: frame.thumbnailColumns, rows: frame.thumbnailRows)
    }

    private func drawThumbnail(_ file: String, columns: Int, rows: Int) -> String {
        let path = session.folder.url.appendingPathComponent(file).path
        let key = ThumbnailCache.key(path: path, mode: mode, columns: columns, rows: rows, size: size)
        switch thumbnails.thumbnail(key) {
        case .failure(let error):
            return "\u{1B}[3;2H" + ScreenFrame.fit("(no preview: \(error))", columns)
        case .success(let thumbnail):
            if thumbnail.mode == .blocks {
                return thumbnail.lines.enumerated().map { "\u{1B}[\($0.offset + 2);1H" + $0.element }.joined()
            }
            return "\u{1B}[2;1H" + thumbnail.payload
        }
    }

    private func prefetchNeighbours(columns: Int, rows: Int) {
        guard columns > 0 else { return }
        let state = session.state
        var next = [state.current + 1, state.current - 1]
        if let pending = state.firstPending(from: state.current + 1) { next.insert(pending, at: 0) }
        for index in next where state.images.indices.contains(index) {
            let path = session.folder.url.appendingPathComponent(state.images[index].file).path
            thumbnails.prefetch(ThumbnailCache.key(path: path, mode: mode, columns: columns, rows: rows, size: size))
        }
    }
}
