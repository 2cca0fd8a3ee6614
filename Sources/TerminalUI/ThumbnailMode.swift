import Glibc

/// How the terminal can show a picture.
public enum ThumbnailMode: String, Sendable, CaseIterable {
    /// The kitty graphics protocol (kitty, WezTerm, Ghostty, Konsole).
    case kitty
    /// iTerm2 inline images (iTerm2, WezTerm).
    case iterm
    /// DEC sixel (foot, mlterm, xterm with sixel, Windows Terminal).
    case sixel
    /// Unicode upper half blocks in 24-bit colour: works anywhere, tmux included.
    case blocks
    case none

    /// A first guess from the environment alone; nil when only a terminal query can tell.
    public static func guess(environment: [String: String]) -> ThumbnailMode? {
        // tmux passes none of the image protocols through by default: half blocks are what it shows reliably.
        if environment["TMUX"] != nil || (environment["TERM"] ?? "").hasPrefix("screen") { return .blocks }
        let program = environment["TERM_PROGRAM"] ?? ""
        let term = environment["TERM"] ?? ""
        if environment["KITTY_WINDOW_ID"] != nil || term == "xterm-kitty" || program == "ghostty" || term == "xterm-ghostty" {
            return .kitty
        }
        if program == "iTerm.app" || program == "WezTerm" { return .iterm }
        if environment["KONSOLE_VERSION"] != nil { return .kitty }
        if term.hasPrefix("foot") || term.contains("mlterm") || environment["WT_SESSION"] != nil { return .sixel }
        if term == "dumb" || term.isEmpty { return ThumbnailMode.none }
        return nil
    }

    /// What the terminal answers to a kitty graphics query and a primary device attributes request.
    public static func parse(queryAnswer: [UInt8]) -> ThumbnailMode {
        let text = String(decoding: queryAnswer, as: UTF8.self)
        if text.contains("_Gi=31;OK") { return .kitty }
        // Primary DA: ESC [ ? 62 ; 4 ; … c, attribute 4 is sixel graphics.
        if let attributes = deviceAttributes(in: text), attributes.dropFirst().contains("4") { return .sixel }
        return .blocks
    }

    /// The parameters of a primary device attributes answer (`ESC [ ? 62 ; 4 c`), if `text` holds a complete one.
    static func deviceAttributes(in text: String) -> [Substring]? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index + 2 < scalars.count {
            if scalars[index] == "\u{1B}", scalars[index + 1] == "[", scalars[index + 2] == "?" {
                var end = index + 3
                while end < scalars.count, scalars[end] == ";" || ("0"..."9").contains(scalars[end]) { end += 1 }
                if end < scalars.count, scalars[end] == "c" {
                    return String(String.UnicodeScalarView(scalars[(index + 3)..<end])).split(separator: ";")
                }
            }
            index += 1
        }
        return nil
    }

    /// The guess from the environment, else a query to the terminal answered within `timeoutMilliseconds`
    /// (the terminal must already be in raw mode); half blocks when it does not answer.
    public static func detect(environment: [String: String], terminal: RawTerminal, timeoutMilliseconds: Int32 = 150)
        -> ThumbnailMode
    {
        if let guess = guess(environment: environment) { return guess }
        terminal.write("\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\\u{1B}[c")
        var answer: [UInt8] = []
        var clock = timespec()
        clock_gettime(CLOCK_MONOTONIC, &clock)
        let deadline = Int(clock.tv_sec) * 1000 + Int(clock.tv_nsec) / 1_000_000 + Int(timeoutMilliseconds)
        while true {
            clock_gettime(CLOCK_MONOTONIC, &clock)
            let left = deadline - (Int(clock.tv_sec) * 1000 + Int(clock.tv_nsec) / 1_000_000)
            guard left > 0, let bytes = terminal.read(timeoutMilliseconds: Int32(left)) else { break }
            answer += bytes
            // The DA answer comes last: every terminal answers it, so it ends the wait.
            if deviceAttributes(in: String(decoding: answer, as: UTF8.self)) != nil { break }
        }
        return parse(queryAnswer: answer)
    }
}
