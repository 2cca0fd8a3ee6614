/// The answer for one image: the source found (or none), the post's tags and rating, and where it came from.
public struct LookupResult: Codable, Sendable, Equatable {
    /// Which step of the chain answered.
    public enum Origin: String, Codable, Sendable {
        /// Danbooru has the exact file (found by MD5; costs no search quota).
        case md5
        case saucenao
        case iqdb
        /// No service found the image.
        case none
    }

    /// Nil when nothing matched.
    public var match: LookupMatch?
    /// The matched post with its tags, when the match is on a booru whose tags could be read.
    public var post: BooruPost?
    public var origin: Origin
    /// True when every part of the answer came from the cache (no request was made).
    public var fromCache: Bool

    public init(match: LookupMatch?, post: BooruPost?, origin: Origin, fromCache: Bool) {
        self.match = match
        self.post = post
        self.origin = origin
        self.fromCache = fromCache
    }

    public var isMatch: Bool { match != nil }

    public var tags: BooruTags { post?.tags ?? BooruTags() }

    /// The post's rating, or the search service's when the post was not read.
    public var rating: Rating? { post?.rating ?? match?.rating }
}
