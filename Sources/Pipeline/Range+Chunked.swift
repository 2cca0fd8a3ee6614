extension Range where Bound == Int {
    /// Consecutive sub-ranges of at most `size` elements covering this range, in order.
    func chunked(by size: Int) -> [Range<Int>] {
        stride(from: lowerBound, to: upperBound, by: max(1, size)).map { $0..<Swift.min($0 + size, upperBound) }
    }
}
