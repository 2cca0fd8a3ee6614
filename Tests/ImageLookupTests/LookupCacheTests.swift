import Foundation
import ImageLookup
import Testing

@Suite("LookupCache: SQLite in WAL mode, answers with lifetimes, quota state across restarts")
struct LookupCacheTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func sqlite3(_ path: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func databaseIsARealWALFileTheSqliteToolCanRead() throws {
        let workspace = try LookupWorkspace()
        let cache = try LookupCache(path: workspace.databasePath)
        #expect(try cache.journalMode() == "wal")
        try cache.store(.noMatch, sha256: "abc", entry: .saucenao, now: now, ttl: 60)
        #expect(try sqlite3(workspace.databasePath, "PRAGMA journal_mode;") == "wal")
        #expect(try sqlite3(workspace.databasePath, "SELECT service, is_match FROM lookup_cache WHERE sha256 = 'abc';") == "saucenao|0")
    }

    @Test func answersExpireAfterTheirLifetime() throws {
        let workspace = try LookupWorkspace()
        let cache = try LookupCache(path: workspace.databasePath)
        let match = LookupMatch(site: .danbooru, postID: 1, postURL: "https://danbooru.donmai.us/posts/1", similarity: 97.5)
        try cache.store(LookupCache.Answer(match: match, post: nil), sha256: "h", entry: .iqdb, now: now, ttl: 3600)
        #expect(try cache.answer(sha256: "h", entry: .iqdb, now: now.addingTimeInterval(3599))?.match == match)
        #expect(try cache.answer(sha256: "h", entry: .iqdb, now: now.addingTimeInterval(3600)) == nil)
        #expect(try cache.answer(sha256: "h", entry: .saucenao, now: now) == nil)
        try cache.purgeExpired(now: now.addingTimeInterval(7200))
        #expect(try sqlite3(workspace.databasePath, "SELECT count(*) FROM lookup_cache;") == "0")
    }

    @Test func pacerStateSurvivesReopening() throws {
        let workspace = try LookupWorkspace()
        var pacer = SauceNAOPacer()
        pacer.recordDailyLimitHit(at: now)
        try LookupCache(path: workspace.databasePath).savePacer(pacer, now: now)
        let reopened = try LookupCache(path: workspace.databasePath).loadPacer(margin: 0.5)
        #expect(reopened.decision(at: now.addingTimeInterval(60)) == .dailyLimitReached(until: now.addingTimeInterval(86_400)))
    }

    @Test func unwritableLocationNamesTheFile() throws {
        let workspace = try LookupWorkspace()
        let blocker = workspace.directory.appendingPathComponent("file")
        try Data().write(to: blocker)
        #expect(throws: (any Error).self) { try LookupCache(path: blocker.appendingPathComponent("db.sqlite").path) }
    }
}

@Suite("Lookup settings and secrets")
struct LookupSettingsTests {
    @Test func environmentOverridesSecrets() {
        var settings = LookupSettings()
        settings.saucenaoAPIKey = "from-file"
        settings.gelbooruUserID = "1"
        settings.danbooruLogin = ""
        settings.gelbooruAPIKey = "  "
        let applied = settings.applyingEnvironment([
            "SLUICE_SAUCENAO_API_KEY": "from-env", "SLUICE_DANBOORU_LOGIN": "me", "SLUICE_DANBOORU_API_KEY": "dk",
            "SLUICE_GELBOORU_API_KEY": "gk", "SLUICE_GELBOORU_USER_ID": " ",
        ])
        #expect(applied.saucenaoAPIKey == "from-env")
        #expect(applied.danbooruLogin == "me" && applied.danbooruAPIKey == "dk" && applied.gelbooruAPIKey == "gk")
        #expect(applied.gelbooruUserID == "1")
        #expect(Set(applied.secrets) == ["from-env", "me", "dk", "gk"])
        // The config file's empty placeholders are unset, not empty keys.
        let placeholders = settings.applyingEnvironment([:])
        #expect(placeholders.danbooruLogin == nil && placeholders.gelbooruAPIKey == nil && placeholders.saucenaoAPIKey == "from-file")
    }

    @Test func defaultsMatchTheServices() {
        let settings = LookupSettings()
        #expect(settings.saucenaoEndpoint == "https://saucenao.com" && settings.iqdbEndpoint == "https://iqdb.org")
        #expect(settings.cacheTTL == 48 * 3600 && settings.noMatchTTL < settings.cacheTTL)
        #expect(settings.saucenaoDBMask == (1 << 5) | (1 << 9) | (1 << 12) | (1 << 25))
    }

    @Test(arguments: [(0o600, true), (0o400, true), (0o640, false), (0o644, false), (0o604, false)])
    func secretFileMustBePrivate(mode: Int, accepted: Bool) throws {
        let workspace = try LookupWorkspace()
        let path = workspace.directory.appendingPathComponent("sluice.yaml").path
        try Data("lookup:\n  saucenao:\n    api_key: x\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        if accepted {
            try SecretFilePolicy.checkPrivate(path: path)
        } else {
            let error = #expect(throws: SecretFileError.self) { try SecretFilePolicy.checkPrivate(path: path) }
            #expect(error?.description.contains("chmod 600 \(path)") == true)
        }
    }
}
