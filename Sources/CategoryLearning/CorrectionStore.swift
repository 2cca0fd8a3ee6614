import Foundation
import SQLiteStorage

/// The corrections the user taught and where each placed image is now, in `.sluice/learning.sqlite`.
public final class CorrectionStore: @unchecked Sendable {
    // Safe as @unchecked Sendable: the one SQLite connection is only touched while `lock` is held.
    public let path: String
    private let database: SQLiteDatabase
    private let lock = NSLock()

    /// The database file inside a root's state folder (`.sluice/`).
    public static func path(stateFolder: String) -> String { stateFolder + "/learning.sqlite" }

    /// Opens or creates the database at `path`, creating its folder.
    public init(path: String) throws {
        self.path = path
        database = try SQLiteDatabase.openStore(
            path: path,
            schema: """
            CREATE TABLE IF NOT EXISTS placements (
                sha256 TEXT PRIMARY KEY,
                path TEXT NOT NULL,
                bytes INTEGER,
                tags TEXT NOT NULL,
                suggested TEXT,
                updated_at REAL NOT NULL
            );
            CREATE INDEX IF NOT EXISTS placements_by_path ON placements(path);
            CREATE TABLE IF NOT EXISTS corrections (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                sha256 TEXT NOT NULL,
                tags TEXT NOT NULL,
                analysis_tags TEXT NOT NULL,
                suggested TEXT,
                from_category TEXT NOT NULL,
                chosen TEXT NOT NULL,
                moved_at REAL NOT NULL
            );
            CREATE INDEX IF NOT EXISTS corrections_by_chosen ON corrections(chosen);
            """)
    }

    /// Records where the library put an image (replacing what was known about the same bytes).
    public func recordPlacement(_ image: PlacedImage, now: Date = Date()) throws {
        try locked { try upsert(image, replace: true, now: now) }
    }

    /// Adds placements from manifests that the store does not know yet (known ones keep their current path).
    public func importPlacements(_ images: [PlacedImage], now: Date = Date()) throws {
        try locked {
            try database.execute("BEGIN IMMEDIATE")
            do {
                for image in images { try upsert(image, replace: false, now: now) }
                try database.execute("COMMIT")
            } catch {
                try? database.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The placement at a path relative to `final/`.
    public func placement(atPath path: String) throws -> PlacedImage? {
        try locked { try placements(where: "path = ?", [.text(path)]).first }
    }

    /// The placement of an image by its content.
    public func placement(sha256: String) throws -> PlacedImage? {
        try locked { try placements(where: "sha256 = ?", [.text(sha256)]).first }
    }

    /// Every placement, by path.
    public func allPlacements() throws -> [PlacedImage] {
        try locked { try placements(where: "1", []) }
    }

    /// Records a correction and moves the image's placement from `oldPath` to its new path, in one transaction;
    /// false (nothing recorded) when the placement is no longer at `oldPath`: another watcher or start-up
    /// reconcile recorded the same move first.
    @discardableResult
    public func recordCorrection(_ correction: Correction, oldPath: String, newPath: String) throws -> Bool {
        try locked {
            try database.execute("BEGIN IMMEDIATE")
            do {
                let current = try database.query("SELECT path FROM placements WHERE sha256 = ?", [.text(correction.sha256)])
                guard current.first?.first?.text == oldPath else {
                    try database.execute("ROLLBACK")
                    return false
                }
                try database.query(
                    """
                    INSERT INTO corrections (sha256, tags, analysis_tags, suggested, from_category, chosen, moved_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [.text(correction.sha256), .text(try Self.json(correction.tags)), .text(try Self.json(correction.analysisTags)),
                     correction.suggestedCategory.map { .text($0) } ?? .null, .text(correction.fromCategory),
                     .text(correction.chosenCategory), .real(correction.time.timeIntervalSince1970)])
                try database.query(
                    "UPDATE placements SET path = ?, updated_at = ? WHERE sha256 = ?",
                    [.text(newPath), .real(correction.time.timeIntervalSince1970), .text(correction.sha256)])
                try database.execute("COMMIT")
                return true
            } catch {
                try? database.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Moves a placement without learning anything (a rename inside one folder, a renamed category folder).
    public func movePlacement(sha256: String, to path: String, now: Date = Date()) throws {
        try locked {
            try database.query("UPDATE placements SET path = ?, updated_at = ? WHERE sha256 = ?",
                               [.text(path), .real(now.timeIntervalSince1970), .text(sha256)])
        }
    }

    /// Every correction, oldest first.
    public func corrections() throws -> [Correction] {
        try locked {
            try database.query(
                "SELECT sha256, tags, analysis_tags, suggested, from_category, chosen, moved_at FROM corrections ORDER BY id"
            ).map { row in
                Correction(
                    sha256: row[0].text ?? "", tags: try Self.tags(row[1].text), analysisTags: try Self.tags(row[2].text),
                    suggestedCategory: row[3].text, fromCategory: row[4].text ?? "", chosenCategory: row[5].text ?? "",
                    time: Date(timeIntervalSince1970: row[6].number))
            }
        }
    }

    /// Forgets the corrections that chose `category` (or every correction when nil); returns how many went.
    @discardableResult
    public func forget(category: String?) throws -> Int {
        try locked {
            let before = try database.query("SELECT COUNT(*) FROM corrections").first?.first?.number ?? 0
            if let category {
                try database.query("DELETE FROM corrections WHERE chosen = ? OR chosen LIKE ? ESCAPE '\\'",
                                   [.text(category), .text(Self.likePrefix(category))])
            } else {
                try database.execute("DELETE FROM corrections")
            }
            let after = try database.query("SELECT COUNT(*) FROM corrections").first?.first?.number ?? 0
            return Int(before - after)
        }
    }

    /// What the learner trains on: every placed image in its current folder.
    public func trainingExamples() throws -> [TrainingExample] {
        try allPlacements().filter { !$0.category.isEmpty }.map { TrainingExample(tags: Set($0.tags), category: $0.category) }
    }

    /// A learner over everything recorded so far.
    public func learner(settings: LearningSettings, model: CategoryModelKind = CategoryLearner.defaultModel) throws -> CategoryLearner {
        CategoryLearner(examples: try trainingExamples(), corrections: try corrections(), settings: settings, model: model)
    }

    private func upsert(_ image: PlacedImage, replace: Bool, now: Date) throws {
        try database.query(
            """
            INSERT INTO placements (sha256, path, bytes, tags, suggested, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(sha256) DO \(replace ? "UPDATE SET path = excluded.path, bytes = excluded.bytes, tags = excluded.tags, suggested = excluded.suggested, updated_at = excluded.updated_at" : "NOTHING")
            """,
            [.text(image.sha256), .text(image.finalPath), image.bytes.map { .integer($0) } ?? .null, .text(try Self.json(image.tags)),
             image.suggestedCategory.map { .text($0) } ?? .null, .real(now.timeIntervalSince1970)])
    }

    private func placements(where condition: String, _ values: [SQLiteValue]) throws -> [PlacedImage] {
        try database.query("SELECT sha256, path, bytes, tags, suggested FROM placements WHERE \(condition) ORDER BY path", values)
            .map { row in
                var bytes: Int64?
                if case .integer(let value) = row[2] { bytes = value }
                return PlacedImage(sha256: row[0].text ?? "", finalPath: row[1].text ?? "", bytes: bytes,
                                   tags: try Self.tags(row[3].text), suggestedCategory: row[4].text)
            }
    }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// `Fanart/` followed by anything, for forgetting a category and the folders under it.
    private static func likePrefix(_ category: String) -> String {
        category.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "/%"
    }

    private static func json(_ tags: [LearningTag]) throws -> String {
        String(decoding: try JSONEncoder().encode(tags), as: UTF8.self)
    }

    private static func tags(_ text: String?) throws -> [LearningTag] {
        guard let text else { return [] }
        return try JSONDecoder().decode([LearningTag].self, from: Data(text.utf8))
    }
}

extension SQLiteValue {
    /// The value as a number (integers and reals), 0 otherwise.
    var number: Double {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return 0
        }
    }
}
