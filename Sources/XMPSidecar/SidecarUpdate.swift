/// What Sluice adds to one image's sidecar; tags are merged with those already there, never removed.
public struct SidecarUpdate: Equatable, Sendable {
    public var tags: [SidecarTag]
    /// The post URL, written to `dc:source`.
    public var source: String?
    /// Written to `dc:description` as the `x-default` language entry.
    public var description: String?
    /// Star rating 0–5 for `xmp:Rating`; nil (the default) leaves `xmp:Rating` alone.
    public var stars: Int?

    public init(tags: [SidecarTag], source: String? = nil, description: String? = nil, stars: Int? = nil) {
        self.tags = tags.filter { !$0.name.isEmpty }
        self.source = source
        self.description = description
        self.stars = stars
    }
}
