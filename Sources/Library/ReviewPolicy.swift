import Configuration

/// Decides whether an image's looked-up tags are approved at once or wait for the user (pure).
public struct ReviewPolicy: Sendable {
    public var mode: SluiceConfig.LibraryReview
    public var autoApproveSimilarity: Double

    public init(mode: SluiceConfig.LibraryReview, autoApproveSimilarity: Double) {
        self.mode = mode
        self.autoApproveSimilarity = autoApproveSimilarity
    }

    public enum Decision: Equatable, Sendable {
        case approve(reason: String)
        case wait(reason: String)
    }

    /// A failed lookup never waits (there is nothing to review; the image goes on untagged).
    public func decide(_ lookup: LookupRecord?, lookupFailed: Bool) -> Decision {
        if lookupFailed { return .approve(reason: "lookup failed: goes on untagged") }
        switch mode {
        case .never:
            return .approve(reason: "library.review is never")
        case .always:
            return .wait(reason: "library.review is always")
        case .auto:
            guard let similarity = lookup?.similarity else { return .wait(reason: "no match found: tag it by hand or approve it untagged") }
            let shown = similarity.formatted(.number.precision(.fractionLength(0...1)))
            return similarity >= autoApproveSimilarity
                ? .approve(reason: "best match \(shown)% ≥ \(autoApproveSimilarity.formatted())%")
                : .wait(reason: "best match \(shown)% < \(autoApproveSimilarity.formatted())%")
        }
    }
}
