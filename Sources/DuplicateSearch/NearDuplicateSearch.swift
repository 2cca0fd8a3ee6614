/// Finds near-duplicate pairs among 64-bit perceptual hashes in sub-quadratic time and flat memory.
///
/// Identical hashes are grouped first (a group of n counts n·(n−1)/2 pairs without visiting them). The distinct
/// hashes are then searched with multi-index hashing: with a radius of r, the 64 bits are cut into r + 1 chunks,
/// and two hashes within distance r agree exactly on at least one chunk (pigeonhole), so only hashes sharing a
/// chunk value are compared. Every pair is counted; only the `keep` closest are kept.
public struct NearDuplicateSearch: Sendable {
    /// Two inputs (indices into the hashes searched, `first < second`) and their Hamming distance.
    public struct Pair: Sendable, Equatable, Hashable {
        public var first: Int
        public var second: Int
        public var distance: Int

        public init(first: Int, second: Int, distance: Int) {
            self.first = first
            self.second = second
            self.distance = distance
        }
    }

    /// What a search found: every pair counted, the closest kept.
    public struct Result: Sendable, Equatable {
        /// At most `keep` pairs, closest first (then by indices). For a group of identical hashes the pairs kept
        /// are its first member with each other one; pairs across groups are kept between their first members.
        public var closest: [Pair]
        /// Every pair within the radius, identical hashes included.
        public var pairCount: Int
        /// The pairs whose hashes are identical (distance 0).
        public var identicalPairCount: Int
        /// How many inputs have at least one other input within the radius.
        public var inputsWithNearDuplicate: Int
        /// False when the comparison budget ran out (thousands of distinct but mutually close hashes): the counts
        /// are then lower bounds, and the pairs kept are still among the closest found.
        public var isExhaustive: Bool
    }

    /// The largest radius searched with multi-index hashing; above it chunks get too short to help.
    static let maxIndexedRadius = 15

    public var maxDistance: Int
    public var keep: Int
    /// Hash comparisons allowed before the search stops counting (about a second of work), so the pass is bounded
    /// even when every pair is a near duplicate.
    public var maxComparisons: Int

    /// - Parameters:
    ///   - maxDistance: the Hamming radius (0–64) at or under which two hashes are near duplicates.
    ///   - keep: how many of the closest pairs to keep (REVIEW.md shows 200).
    ///   - maxComparisons: the work budget; past it counts are lower bounds (`Result.isExhaustive` false).
    public init(maxDistance: Int, keep: Int = 200, maxComparisons: Int = 400_000_000) {
        self.maxDistance = min(max(maxDistance, 0), 64)
        self.keep = max(keep, 0)
        self.maxComparisons = maxComparisons
    }

    /// Searches `hashes` (one per input, in input order).
    public func search(_ hashes: [UInt64]) -> Result {
        // Distinct values, each with the inputs that carry it (in input order).
        var groupOfValue: [UInt64: Int] = [:]
        var values: [UInt64] = []
        var members: [[Int]] = []
        for (index, hash) in hashes.enumerated() {
            if let group = groupOfValue[hash] {
                members[group].append(index)
            } else {
                groupOfValue[hash] = values.count
                values.append(hash)
                members.append([index])
            }
        }
        var collector = PairCollector(keep: keep, maxDistance: maxDistance)
        var hasNeighbour = [Bool](repeating: false, count: values.count)
        for (group, inputs) in members.enumerated() where inputs.count > 1 {
            hasNeighbour[group] = true
            collector.countIdentical(inputs)
        }
        var isExhaustive = true
        if maxDistance > 0 {
            isExhaustive = forEachNearValuePair(values) { a, b, distance in
                hasNeighbour[a] = true
                hasNeighbour[b] = true
                collector.add(
                    first: members[a][0], second: members[b][0], distance: distance,
                    multiplicity: members[a].count * members[b].count)
            }
        }
        var inputsWithNeighbour = 0
        for (group, flagged) in hasNeighbour.enumerated() where flagged { inputsWithNeighbour += members[group].count }
        return Result(
            closest: collector.closest(), pairCount: collector.pairCount, identicalPairCount: collector.identicalPairCount,
            inputsWithNearDuplicate: inputsWithNeighbour, isExhaustive: isExhaustive)
    }

    /// Calls `body` once for every pair of distinct values within the radius (indices into `values`); false when
    /// it stopped early because the comparison budget ran out.
    @discardableResult
    func forEachNearValuePair(_ values: [UInt64], _ body: (Int, Int, Int) -> Void) -> Bool {
        guard values.count > 1 else { return true }
        guard maxDistance <= Self.maxIndexedRadius else {
            // Wide radii: chunks would be a few bits each, so comparing everything is as fast.
            for a in 0..<values.count {
                for b in (a + 1)..<values.count {
                    let distance = (values[a] ^ values[b]).nonzeroBitCount
                    if distance <= maxDistance { body(a, b, distance) }
                }
                guard a * values.count <= maxComparisons else { return false }
            }
            return true
        }
        let chunks = Self.chunks(count: maxDistance + 1)
        var order = Array(0..<values.count)
        var runValues: [UInt64] = []
        var runIndices: [Int] = []
        var comparisons = 0
        for (chunkIndex, chunk) in chunks.enumerated() {
            // Sort the values by this chunk: values sharing the chunk form a contiguous run.
            order.sort { chunk.key(values[$0]) < chunk.key(values[$1]) }
            // A pair is reported at the first chunk on which it agrees: these are the chunks before this one.
            let earlier = Self.chunkMasks(chunks[..<chunkIndex])
            var runStart = 0
            while runStart < order.count {
                let key = chunk.key(values[order[runStart]])
                var runEnd = runStart + 1
                while runEnd < order.count, chunk.key(values[order[runEnd]]) == key { runEnd += 1 }
                runIndices.removeAll(keepingCapacity: true)
                runValues.removeAll(keepingCapacity: true)
                for position in runStart..<runEnd {
                    runIndices.append(order[position])
                    runValues.append(values[order[position]])
                }
                let count = runValues.count
                if count > 1 {
                    guard comparisons <= maxComparisons else { return false }
                    comparisons += count * (count - 1) / 2
                }
                for i in 0..<count {
                    let valueI = runValues[i]
                    for j in (i + 1)..<count {
                        let difference = valueI ^ runValues[j]
                        let distance = difference.nonzeroBitCount
                        guard distance <= maxDistance else { continue }
                        // Skip pairs that agree on an earlier chunk: they were reported there.
                        guard !earlier.contains(where: { difference & $0 == 0 }) else { continue }
                        body(min(runIndices[i], runIndices[j]), max(runIndices[i], runIndices[j]), distance)
                    }
                }
                runStart = runEnd
            }
        }
        return true
    }

    /// Each chunk's bits in place, for "do two values agree on this chunk" as one AND.
    static func chunkMasks(_ chunks: ArraySlice<Chunk>) -> [UInt64] {
        chunks.map { $0.mask << $0.shift }
    }

    /// A run of bits of the hash.
    struct Chunk {
        var shift: UInt64
        var mask: UInt64

        func key(_ value: UInt64) -> UInt64 { (value >> shift) & mask }
    }

    /// 64 bits cut into `count` chunks of near-equal width.
    static func chunks(count: Int) -> [Chunk] {
        var result: [Chunk] = []
        var start = 0
        for index in 0..<count {
            let width = 64 / count + (index < 64 % count ? 1 : 0)
            let mask: UInt64 = width >= 64 ? .max : (1 << UInt64(width)) - 1
            result.append(Chunk(shift: UInt64(start), mask: mask))
            start += width
        }
        return result
    }
}

/// Counts pairs and keeps the closest ones: per distance at most `keep` pairs, so memory stays flat.
struct PairCollector {
    let keep: Int
    private var byDistance: [[NearDuplicateSearch.Pair]]
    private(set) var pairCount = 0
    private(set) var identicalPairCount = 0

    init(keep: Int, maxDistance: Int) {
        self.keep = keep
        byDistance = Array(repeating: [], count: maxDistance + 1)
    }

    /// A group of inputs with the same hash: its pairs are counted, its first member paired with the others kept.
    mutating func countIdentical(_ inputs: [Int]) {
        let pairs = inputs.count * (inputs.count - 1) / 2
        pairCount += pairs
        identicalPairCount += pairs
        for other in inputs.dropFirst() where byDistance[0].count < keep {
            byDistance[0].append(.init(first: inputs[0], second: other, distance: 0))
        }
    }

    mutating func add(first: Int, second: Int, distance: Int, multiplicity: Int) {
        pairCount += multiplicity
        if byDistance[distance].count < keep {
            byDistance[distance].append(.init(first: min(first, second), second: max(first, second), distance: distance))
        }
    }

    /// The `keep` closest pairs, by distance then indices.
    func closest() -> [NearDuplicateSearch.Pair] {
        var result: [NearDuplicateSearch.Pair] = []
        for pairs in byDistance where result.count < keep {
            let sorted = pairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
            result.append(contentsOf: sorted.prefix(keep - result.count))
        }
        return result
    }
}
