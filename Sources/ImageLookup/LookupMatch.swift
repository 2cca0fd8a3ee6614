/// Where an image was found: by which service, on which post, and how similar it is.
public struct LookupMatch: Codable, Sendable, Equatable {
    /// The booru when the post is on Danbooru or Gelbooru (so its tags can be read), nil for other sites.
    public var site: BooruSite?
    public var postID: Int?
    public var postURL: String
    /// Percent, 0–100; an exact MD5 copy is 100. This is the confidence shown to the user.
    public var similarity: Double
    /// The rating the search service reported, when it did (IQDB does).
    public var rating: Rating?
    /// Other places the service listed for the same artwork.
    public var otherURLs: [String]

    public init(
        site: BooruSite?, postID: Int?, postURL: String, similarity: Double, rating: Rating? = nil,
        otherURLs: [String] = []
    ) {
        self.site = site
        self.postID = postID
        self.postURL = postURL
        self.similarity = similarity
        self.rating = rating
        self.otherURLs = otherURLs
    }

    /// A Danbooru or Gelbooru post found in a URL (`/posts/123`, `index.php?page=post&s=view&id=123`), if any.
    static func booruPost(in url: String) -> (site: BooruSite, id: Int)? {
        let lowered = url.lowercased()
        if lowered.contains("danbooru"), let match = url.firstMatch(of: /\/posts\/(\d+)/), let id = Int(match.1) {
            return (.danbooru, id)
        }
        if lowered.contains("gelbooru"), lowered.contains("s=view"), let match = url.firstMatch(of: /[?&]id=(\d+)/),
            let id = Int(match.1)
        {
            return (.gelbooru, id)
        }
        return nil
    }
}
