import Foundation
import HTTPClient

/// Everything the lookup needs to know: endpoints, credentials, thresholds, cache lifetimes, timeouts.
public struct LookupSettings: Sendable {
    /// Base URLs the services' paths are appended to (mirrors and loopback fakes go here).
    public var danbooruEndpoint = "https://danbooru.donmai.us"
    public var saucenaoEndpoint = "https://saucenao.com"
    public var iqdbEndpoint = "https://iqdb.org"
    public var gelbooruEndpoint = "https://gelbooru.com"

    public var saucenaoAPIKey: String?
    public var danbooruLogin: String?
    public var danbooruAPIKey: String?
    public var gelbooruAPIKey: String?
    /// Gelbooru's numeric user id, which its API wants beside the key.
    public var gelbooruUserID: String?

    /// Percent below which a search result is "no match" (SauceNAO's own `minimum_similarity` is a floor too).
    public var minimumSimilarity: Double = 80
    /// How long a match stays cached.
    public var cacheTTL: TimeInterval = 48 * 3600
    /// How long a "no match" stays cached: shorter, since the image may be posted later.
    public var noMatchTTL: TimeInterval = 12 * 3600

    /// Put in the User-Agent so service operators can reach whoever runs this (an e-mail or a URL).
    public var contact: String?
    public var version = "0.1.0"

    /// SauceNAO indexes to search, as a bit mask of index ids: Pixiv 5, Danbooru 9, Yande.re 12, Gelbooru 25;
    /// nil searches every index (`db=999`).
    public var saucenaoDBMask: Int? = (1 << 5) | (1 << 9) | (1 << 12) | (1 << 25)
    /// Results SauceNAO returns per search (`numres`).
    public var saucenaoResultCount = 8
    /// IQDB databases (`service[]`): 1 Danbooru, 2 Konachan, 3 Yande.re, 4 Gelbooru.
    public var iqdbServices = [1, 2, 3, 4]

    public var timeouts = HTTPTimeouts(connect: .seconds(10), total: .seconds(60), lowSpeedWindow: .seconds(30))
    /// IQDB is slow and sometimes down: longer timeouts.
    public var iqdbTimeouts = HTTPTimeouts(connect: .seconds(20), total: .seconds(120), lowSpeedWindow: .seconds(60))
    public var retry = RetryPolicy(maxAttempts: 3, baseDelay: .seconds(2), maxDelay: .seconds(60))
    /// Safety margin added to SauceNAO's 30-second window when pacing.
    public var pacingMargin: TimeInterval = 0.5

    public init() {}

    /// The environment variables that override the secrets.
    public enum EnvironmentKey {
        public static let saucenaoAPIKey = "SLUICE_SAUCENAO_API_KEY"
        public static let danbooruLogin = "SLUICE_DANBOORU_LOGIN"
        public static let danbooruAPIKey = "SLUICE_DANBOORU_API_KEY"
        public static let gelbooruAPIKey = "SLUICE_GELBOORU_API_KEY"
        public static let gelbooruUserID = "SLUICE_GELBOORU_USER_ID"
    }

    /// These settings with secrets from the environment replacing those from the config file; empty values
    /// (the config file's `""` placeholders) count as unset.
    public func applyingEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> LookupSettings {
        var settings = self
        func value(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        settings.saucenaoAPIKey = value(environment[EnvironmentKey.saucenaoAPIKey]) ?? value(saucenaoAPIKey)
        settings.danbooruLogin = value(environment[EnvironmentKey.danbooruLogin]) ?? value(danbooruLogin)
        settings.danbooruAPIKey = value(environment[EnvironmentKey.danbooruAPIKey]) ?? value(danbooruAPIKey)
        settings.gelbooruAPIKey = value(environment[EnvironmentKey.gelbooruAPIKey]) ?? value(gelbooruAPIKey)
        settings.gelbooruUserID = value(environment[EnvironmentKey.gelbooruUserID]) ?? value(gelbooruUserID)
        return settings
    }

    /// Every secret value, for redaction.
    public var secrets: [String] {
        [saucenaoAPIKey, danbooruLogin, danbooruAPIKey, gelbooruAPIKey].compactMap { $0 }.filter { !$0.isEmpty }
    }

    public var userAgent: String { HTTPClient.userAgent(version: version, contact: contact) }

    /// The HTTP client configuration these settings imply.
    public var httpConfiguration: HTTPClient.Configuration {
        HTTPClient.Configuration(userAgent: userAgent, timeouts: timeouts, retry: retry)
    }
}
