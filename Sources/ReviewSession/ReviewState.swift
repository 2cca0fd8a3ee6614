/// The review's pure state: the images as shown, the decisions, the cursor and the selected tag.
public struct ReviewState: Sendable, Equatable {
    public let kind: ReviewKind
    public private(set) var images: [ReviewImage]
    public var decisions: [String: ReviewDecision]
    public private(set) var current: Int
    public private(set) var selectedTag = 0

    public init(kind: ReviewKind, images: [ReviewImage], decisions: [String: ReviewDecision]) {
        self.kind = kind
        self.images = images
        self.decisions = decisions
        self.current = 0
        self.current = firstPending(from: 0) ?? 0
    }

    public var currentImage: ReviewImage? { images.indices.contains(current) ? images[current] : nil }

    public func decision(at index: Int) -> ReviewDecision? { decisions[images[index].file] }

    /// True once every image has an approve, reject or edit decision (skips postpone).
    public var isFinished: Bool { !images.isEmpty && images.allSatisfy { decisions[$0.file]?.isFinal == true } }

    public var decidedCount: Int { images.count { decisions[$0.file]?.isFinal == true } }
    public var skippedCount: Int { images.count { decisions[$0.file]?.verdict == .skipped } }

    /// Indices without a final decision, in order (skipped ones included: they still wait).
    public var pendingIndices: [Int] { images.indices.filter { decisions[images[$0].file]?.isFinal != true } }

    /// The first undecided image at or after `start`, wrapping; skipped images come after undecided ones.
    public func firstPending(from start: Int) -> Int? {
        let order = images.indices.map { (start + $0) % max(images.count, 1) }
        return order.first { decisions[images[$0].file] == nil }
            ?? order.first { decisions[images[$0].file]?.isFinal != true }
    }

    public mutating func move(by offset: Int) {
        guard !images.isEmpty else { return }
        current = min(max(current + offset, 0), images.count - 1)
        selectedTag = 0
    }

    public mutating func select(_ index: Int) {
        guard images.indices.contains(index) else { return }
        if index != current { selectedTag = 0 }
        current = index
    }

    /// Moves the tag cursor within the current image's tags in display order.
    public mutating func moveTag(by offset: Int) {
        guard let image = currentImage, !image.tags.isEmpty else { return }
        selectedTag = min(max(selectedTag + offset, 0), image.tags.count - 1)
    }

    /// The current image's tags in display order (grouped by category), with their index in `tags`.
    public func displayOrder(of image: ReviewImage) -> [Int] {
        guard kind == .libraryBatch else { return Array(image.tags.indices) }
        let rank = { (category: String?) in ReviewTag.categoryOrder.firstIndex(of: category ?? "") ?? ReviewTag.categoryOrder.count }
        return image.tags.indices.sorted { (rank(image.tags[$0].category), $0) < (rank(image.tags[$1].category), $1) }
    }

    /// Switches the selected tag on or off; approving writes only the tags that are on.
    public mutating func toggleSelectedTag() {
        guard let image = currentImage else { return }
        let order = displayOrder(of: image)
        guard order.indices.contains(selectedTag) else { return }
        images[current].tags[order[selectedTag]].isEnabled.toggle()
    }

    /// Replaces an image's shown state after its file was (re)read, keeping the cursor in range.
    public mutating func replace(_ image: ReviewImage, at index: Int) {
        images[index] = image
        if index == current { selectedTag = min(selectedTag, max(image.tags.count - 1, 0)) }
    }

    /// The text approving the image at `index` writes.
    public func approvedText(at index: Int) -> String { kind.render(images[index].tags) }

    /// Images after the current one whose best confidence reaches `threshold` and that wait for a decision.
    public func confidentPending(threshold: Double) -> [Int] {
        pendingIndices.filter { (images[$0].bestConfidence ?? -1) >= threshold }
    }
}
