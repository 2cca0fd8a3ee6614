import Foundation
import Hashing
import HTTPClient

/// Looks images up in order: Danbooru by MD5 → SauceNAO (paced to its quota) → IQDB, then reads the matched post's
/// tags from Danbooru or Gelbooru. Every answer is cached; one image's failure never stops the others.
public actor LookupSession {
    public let settings: LookupSettings
    private let cache: LookupCache
    private let time: any TimeSource
    private let danbooru: DanbooruAPI
    private let gelbooru: GelbooruAPI
    private let saucenao: SauceNAOAPI
    private let iqdb: IQDBAPI
    private var pacer: SauceNAOPacer
    /// Set when SauceNAO refused the key: no more searches this run.
    private var saucenaoRefusal: LookupFailure?
    private var availability = ServiceAvailability()

    /// - Parameters:
    ///   - time: the clock and sleep used for pacing and backoff; tests pass `ManualTime`.
    ///   - jitter: the source of backoff jitter in 0...1.
    public init(
        settings: LookupSettings, cache: LookupCache, time: any TimeSource = SystemTime(),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) throws {
        // Empty secrets (config placeholders) count as unset.
        let settings = settings.applyingEnvironment([:])
        self.settings = settings
        self.cache = cache
        self.time = time
        let http = HTTPClient(configuration: settings.httpConfiguration, time: time, jitter: jitter)
        danbooru = DanbooruAPI(http: http, settings: settings)
        gelbooru = GelbooruAPI(http: http, settings: settings)
        saucenao = SauceNAOAPI(http: http, settings: settings)
        iqdb = IQDBAPI(http: http, settings: settings)
        pacer = try cache.loadPacer(margin: settings.pacingMargin)
        try cache.purgeExpired(now: time.now)
    }

    /// The SauceNAO pacing state (limits seen, searches of the last day, blocks).
    public var pacerState: SauceNAOPacer { pacer }

    /// Looks up every image in turn; `progress` is told after each one (done, total).
    public func lookUp(
        images paths: [String], useCache: Bool = true, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async -> [ImageLookupOutcome] {
        var outcomes: [ImageLookupOutcome] = []
        for path in paths {
            if Task.isCancelled {
                outcomes.append(
                    ImageLookupOutcome(
                        path: path, sha256: "", result: nil,
                        failures: [LookupFailure(service: .file, message: "not looked up: cancelled", isTransient: true)]))
                continue
            }
            outcomes.append(await lookUp(imageAt: path, useCache: useCache))
            progress?(outcomes.count, paths.count)
        }
        return outcomes
    }

    /// Looks up one image. Without `useCache`, cached answers are ignored (fresh answers are still stored).
    public func lookUp(imageAt path: String, useCache: Bool = true) async -> ImageLookupOutcome {
        var outcome = ImageLookupOutcome(path: path, sha256: "", result: nil, failures: [])
        let md5: String
        do {
            outcome.sha256 = try FileDigest.hex(of: path, algorithm: .sha256)
            md5 = try FileDigest.hex(of: path, algorithm: .md5)
        } catch {
            outcome.failures.append(
                LookupFailure(service: .file, message: "cannot be read: \(error); check the path and permissions", isTransient: false))
            return outcome
        }
        var everythingCached = true
        var anyAnswer = false
        for (entry, origin) in [(LookupCache.Entry.danbooruMD5, LookupResult.Origin.md5), (.saucenao, .saucenao), (.iqdb, .iqdb)] {
            do {
                guard let (answer, cached) = try await answer(entry, path: path, sha256: outcome.sha256, md5: md5, useCache: useCache, outcome: &outcome)
                else { continue }
                anyAnswer = true
                everythingCached = everythingCached && cached
                guard let match = answer.match else { continue }
                var post = answer.post
                if post == nil, let site = match.site, let id = match.postID {
                    let (tags, tagsCached) = try await postWithTags(site: site, id: id, sha256: outcome.sha256, useCache: useCache, outcome: &outcome)
                    post = tags
                    everythingCached = everythingCached && tagsCached
                }
                outcome.result = LookupResult(match: match, post: post, origin: origin, fromCache: everythingCached)
                return outcome
            } catch {
                // Only cancellation gets here: every other failure is recorded where it happens.
                outcome.failures.append(LookupFailure(service: .file, message: "cancelled", isTransient: true))
                return outcome
            }
        }
        if anyAnswer { outcome.result = LookupResult(match: nil, post: nil, origin: .none, fromCache: everythingCached) }
        return outcome
    }

    /// One step's answer (cached or fresh, and which), or nil when it failed or was skipped (recorded in `outcome`).
    /// Throws only `CancellationError`.
    private func answer(
        _ entry: LookupCache.Entry, path: String, sha256: String, md5: String, useCache: Bool, outcome: inout ImageLookupOutcome
    ) async throws -> (LookupCache.Answer, Bool)? {
        if useCache, let cached = cachedAnswer(sha256: sha256, entry: entry, outcome: &outcome) { return (cached, true) }
        do {
            let answer: LookupCache.Answer
            switch entry {
            case .danbooruMD5:
                let post = try await guarded(.danbooru) { try await danbooru.post(md5: md5) }
                answer = LookupCache.Answer(
                    match: post.map { LookupMatch(site: .danbooru, postID: $0.id, postURL: $0.url, similarity: 100, rating: $0.rating) },
                    post: post)
            case .saucenao:
                guard settings.saucenaoAPIKey != nil else {
                    outcome.notes.append(
                        "SauceNAO skipped: no API key (set lookup.saucenao.api_key or \(LookupSettings.EnvironmentKey.saucenaoAPIKey))")
                    return nil
                }
                let match = try await guarded(.saucenao) { try await searchSauceNAO(path: path, sha256: sha256, outcome: &outcome) }
                answer = LookupCache.Answer(match: match, post: nil)
            case .iqdb:
                answer = try await guarded(.iqdb) { try await searchIQDB(path: path) }
            case .postTags:
                return nil
            }
            store(answer, sha256: sha256, entry: entry, outcome: &outcome)
            return (answer, false)
        } catch let failure as LookupFailure {
            outcome.failures.append(failure)
            return nil
        }
    }

    /// The matched post with its tags, from the cache or the booru; nil (with the reason recorded) when unavailable.
    private func postWithTags(
        site: BooruSite, id: Int, sha256: String, useCache: Bool, outcome: inout ImageLookupOutcome
    ) async throws -> (BooruPost?, Bool) {
        if useCache, let cached = cachedAnswer(sha256: sha256, entry: .postTags, outcome: &outcome),
            let post = cached.post, post.site == site, post.id == id
        {
            return (post, true)
        }
        do {
            let post: BooruPost
            switch site {
            case .danbooru:
                post = try await guarded(.danbooru) { try await danbooru.post(id: id) }
            case .gelbooru:
                guard gelbooru.isConfigured else {
                    outcome.notes.append(
                        "Gelbooru tags skipped: set lookup.gelbooru.api_key and user_id "
                            + "(or \(LookupSettings.EnvironmentKey.gelbooruAPIKey) and \(LookupSettings.EnvironmentKey.gelbooruUserID))")
                    return (nil, false)
                }
                let (found, categoryFailure) = try await guarded(.gelbooru) { try await gelbooru.post(id: id) }
                post = found
                if let categoryFailure {
                    // Keep the tags, uncategorized, but do not cache them so a later run can sort them.
                    outcome.failures.append(categoryFailure)
                    return (post, false)
                }
            }
            store(LookupCache.Answer(match: nil, post: post), sha256: sha256, entry: .postTags, outcome: &outcome)
            return (post, false)
        } catch let failure as LookupFailure {
            outcome.failures.append(failure)
            return (nil, false)
        }
    }

    /// One SauceNAO search, paced so no limit is hit; the chosen match or nil for no match.
    private func searchSauceNAO(path: String, sha256: String, outcome: inout ImageLookupOutcome) async throws -> LookupMatch? {
        if let saucenaoRefusal { throw saucenaoRefusal }
        var shortLimitHits = 0
        while true {
            switch pacer.decision(at: time.now) {
            case .dailyLimitReached(let until):
                throw LookupFailure(
                    service: .saucenao,
                    message: "daily search limit reached; SauceNAO searches resume after \(Self.format(until)) (IQDB is used meanwhile)",
                    isTransient: true)
            case .wait(let until):
                try await time.sleep(until: until)
                continue
            case .proceed:
                break
            }
            let answer = try await saucenao.search(fileAt: path)
            let now = time.now
            switch answer {
            case .results(let header, let results):
                pacer.recordSearch(at: now, limits: header.limits)
                savePacer(outcome: &outcome)
                if header.status > 0 {
                    outcome.notes.append("SauceNAO: \(header.failedIndexCount) index(es) did not answer (status \(header.status)); results may be partial")
                }
                return SauceNAOAnswer.bestMatch(in: results, header: header, minimumSimilarity: settings.minimumSimilarity)
            case .rejected(let header):
                pacer.recordSearch(at: now, limits: header.limits)
                savePacer(outcome: &outcome)
                // No fast retry: remember the refusal for the no-match lifetime.
                store(.noMatch, sha256: sha256, entry: .saucenao, outcome: &outcome)
                throw LookupFailure(
                    service: .saucenao,
                    message: "SauceNAO rejected the search (status \(header.status): \(header.message ?? "no message")); the image is skipped",
                    isTransient: false)
            case .shortLimitReached:
                pacer.recordShortLimitHit(at: now)
                savePacer(outcome: &outcome)
                shortLimitHits += 1
                if shortLimitHits >= 3 {
                    throw LookupFailure(
                        service: .saucenao,
                        message: "SauceNAO kept answering 429 for its 30-second limit; another client may be using the same key",
                        isTransient: true)
                }
            case .dailyLimitReached:
                pacer.recordDailyLimitHit(at: now)
                savePacer(outcome: &outcome)
                continue
            case .invalidKey(let message):
                let failure = LookupFailure(
                    service: .saucenao,
                    message: "SauceNAO refused the API key (403: \(String(message.prefix(100)))); check lookup.saucenao.api_key or "
                        + "\(LookupSettings.EnvironmentKey.saucenaoAPIKey). No more SauceNAO searches this run",
                    isTransient: false)
                saucenaoRefusal = failure
                throw failure
            case .fileTooLarge:
                throw LookupFailure(service: .saucenao, message: "the file is larger than SauceNAO accepts (413)", isTransient: false)
            case .unexpectedStatus(let status, let message):
                throw LookupFailure(
                    service: .saucenao, message: "SauceNAO answered HTTP \(status) (\(message.prefix(120)))",
                    isTransient: status >= 500)
            case .unreadable(let excerpt):
                throw LookupFailure(
                    service: .saucenao, message: "SauceNAO's answer is not its JSON (\(excerpt)); try again later", isTransient: true)
            }
        }
    }

    /// Calls a service unless it was set aside as unreachable, and keeps its availability up to date.
    private func guarded<T>(_ service: LookupFailure.Service, _ body: () async throws -> T) async throws -> T {
        if let until = availability.setAside(service, at: time.now) {
            throw LookupFailure(
                service: service,
                message: "not asked: it could not be reached for the last \(availability.threshold) images; "
                    + "it is tried again after \(Self.format(until))",
                isTransient: true)
        }
        do {
            let value = try await body()
            availability.recordAnswer(from: service)
            return value
        } catch let failure as LookupFailure {
            if failure.isUnreachable {
                availability.recordUnreachable(service, at: time.now)
            } else {
                availability.recordAnswer(from: service)
            }
            throw failure
        }
    }

    private func searchIQDB(path: String) async throws -> LookupCache.Answer {
        switch try await iqdb.search(fileAt: path) {
        case .noMatch:
            return .noMatch
        case .matches(let matches):
            return LookupCache.Answer(match: IQDBAPI.bestMatch(in: matches, minimumSimilarity: settings.minimumSimilarity), post: nil)
        }
    }

    private func cachedAnswer(sha256: String, entry: LookupCache.Entry, outcome: inout ImageLookupOutcome) -> LookupCache.Answer? {
        do {
            return try cache.answer(sha256: sha256, entry: entry, now: time.now)
        } catch {
            outcome.failures.append(LookupFailure(service: .cache, message: "\(error)", isTransient: true))
            return nil
        }
    }

    private func store(_ answer: LookupCache.Answer, sha256: String, entry: LookupCache.Entry, outcome: inout ImageLookupOutcome) {
        do {
            try cache.store(
                answer, sha256: sha256, entry: entry, now: time.now, ttl: answer.isMatch ? settings.cacheTTL : settings.noMatchTTL)
        } catch {
            outcome.failures.append(LookupFailure(service: .cache, message: "\(error)", isTransient: true))
        }
    }

    private func savePacer(outcome: inout ImageLookupOutcome) {
        do {
            try cache.savePacer(pacer, now: time.now)
        } catch {
            outcome.failures.append(LookupFailure(service: .cache, message: "\(error)", isTransient: true))
        }
    }

    private static func format(_ date: Date) -> String {
        ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withInternetDateTime])
    }
}
