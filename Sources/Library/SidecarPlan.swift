import XMPSidecar

/// The sidecar update for an image's approved tags (pure): booru categories become the hierarchy, the rating a
/// `rating/<value>` tag (booru ratings are not star ratings), the post URL `dc:source`.
public enum SidecarPlan {
    public static func update(tags: [LibraryTag], source: String?) -> SidecarUpdate {
        let sidecarTags = tags.map { tag in
            tag.category == SidecarTag.ratingCategory ? SidecarTag.booruRating(tag.name) : SidecarTag(tag.name, category: tag.category)
        }
        return SidecarUpdate(tags: sidecarTags, source: source)
    }
}
