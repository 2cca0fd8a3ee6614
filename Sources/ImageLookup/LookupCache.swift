import Foundation
import SQLiteStorage

/// Answers kept in SQLite (WAL) by file SHA-256 and service, with a lifetime, plus the SauceNAO quota state, so a
/// rerun spends no quota on images already searched and the daily limit is remembered across restarts.
public final class LookupCache: @unchecked Sendable {
    // Safe: every use of the SQLite connection goes through `locked`, which holds `lock`.
    /// The cache rows each image may have: one per step that answered.
    public enum Entry: String, Sendable, CaseIterable {
        case danbooruMD5 = "danbooru-md5"
        case saucenao
        case iqdb
        /// The tags of the post the image matched.
        case postTags = "post-tags"
    }

    /// What a step answered; a "no match" is cached too.
    public struct Answer: Codable, Sendable, Equatable {
        public var match: LookupMatch?
        public var post: BooruPost?

        public init(match: LookupMatch?, post: BooruPost?) {
            self.match = match
            self.post = post
        }

        public static let noMatch = Answer(match: nil, post: nil)
        public var isMatch: Bool { match != nil || post != nil }
    }

    public let path: String
    private let database: SQLiteDatabase
    private let lock = NSLock()

    /// Opens or creates the database at `path`, creating its folder.
    public init(path: String) throws {
        self.path = path
        database = try SQLiteDatabase.openStore(
            path: path,
            schema: """
            CREATE TABLE IF NOT EXISTS lookup_cache (
                sha256 TEXT NOT NULL,
                service TEXT NOT NULL,
                answer TEXT NOT NULL,
                is_match INTEGER NOT NULL,
                stored_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                PRIMARY KEY (sha256, service)
            );
            CREATE TABLE IF NOT EXISTS quota_state (
                service TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                updated_at REAL NOT NULL
            );
            """)
    }

    /// The journal mode SQLite reports (`wal` once opened).
    public func journalMode() throws -> String {
        try locked { try database.query("PRAGMA journal_mode").first?.first?.text ?? "" }
    }

    /// The cached answer, unless it has expired by `now`.
    public func answer(sha256: String, entry: Entry, now: Date) throws -> Answer? {
        let rows = try locked {
            try database.query(
                "SELECT answer FROM lookup_cache WHERE sha256 = ? AND service = ? AND expires_at > ?",
                [.text(sha256), .text(entry.rawValue), .real(now.timeIntervalSince1970)])
        }
        guard let text = rows.first?.first?.text else { return nil }
        return try? JSONDecoder().decode(Answer.self, from: Data(text.utf8))
    }

    /// Stores an answer that lives for `ttl` seconds from `now`.
    public func store(_ answer: Answer, sha256: String, entry: Entry, now: Date, ttl: TimeInterval) throws {
        let text = String(decoding: try JSONEncoder().encode(answer), as: UTF8.self)
        try locked {
            try database.query(
                """
                INSERT INTO lookup_cache (sha256, service, answer, is_match, stored_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (sha256, service) DO UPDATE SET answer = excluded.answer, is_match = excluded.is_match,
                    stored_at = excluded.stored_at, expires_at = excluded.expires_at
                """,
                [
                    .text(sha256), .text(entry.rawValue), .text(text), .integer(answer.isMatch ? 1 : 0),
                    .real(now.timeIntervalSince1970), .real(now.addingTimeInterval(ttl).timeIntervalSince1970),
                ])
        }
    }

    /// Deletes expired rows.
    public func purgeExpired(now: Date) throws {
        try locked {
            try database.query("DELETE FROM lookup_cache WHERE expires_at <= ?", [.real(now.timeIntervalSince1970)])
        }
    }

    /// The stored SauceNAO pacer, or a fresh one.
    public func loadPacer(margin: TimeInterval) throws -> SauceNAOPacer {
        let rows = try locked { try database.query("SELECT state FROM quota_state WHERE service = 'saucenao'") }
        guard let text = rows.first?.first?.text, var pacer = try? JSONDecoder().decode(SauceNAOPacer.self, from: Data(text.utf8))
        else { return SauceNAOPacer(margin: margin) }
        pacer.margin = margin
        return pacer
    }

    public func savePacer(_ pacer: SauceNAOPacer, now: Date) throws {
        let text = String(decoding: try JSONEncoder().encode(pacer), as: UTF8.self)
        try locked {
            try database.query(
                """
                INSERT INTO quota_state (service, state, updated_at) VALUES ('saucenao', ?, ?)
                ON CONFLICT (service) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                """, [.text(text), .real(now.timeIntervalSince1970)])
        }
    }

    @discardableResult
    private func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
