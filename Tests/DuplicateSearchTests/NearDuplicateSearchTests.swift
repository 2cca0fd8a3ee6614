import Imaging
import Testing
@testable import DuplicateSearch

@Suite struct NearDuplicateSearchTests {
    /// Every pair within the radius, by brute force: the reference the index must agree with.
    private func bruteForce(_ hashes: [UInt64], radius: Int) -> Set<NearDuplicateSearch.Pair> {
        var pairs: Set<NearDuplicateSearch.Pair> = []
        for a in 0..<hashes.count {
            for b in (a + 1)..<hashes.count {
                let distance = (hashes[a] ^ hashes[b]).nonzeroBitCount
                if distance <= radius { pairs.insert(.init(first: a, second: b, distance: distance)) }
            }
        }
        return pairs
    }

    /// Hashes in clusters: random centres with a few bits flipped, so many pairs fall near the radius.
    private func clustered(count: Int, seed: UInt64) -> [UInt64] {
        var generator = SplitMix64(seed: seed)
        var centres: [UInt64] = (0..<max(count / 8, 1)).map { _ in generator.next() }
        centres.append(0)
        return (0..<count).map { _ in
            var value = centres[Int(generator.next() % UInt64(centres.count))]
            for _ in 0..<Int(generator.next() % 9) { value ^= 1 << (generator.next() % 64) }
            return value
        }
    }

    @Test(arguments: [0, 1, 3, 6, 10, 15, 16, 24])
    func findsExactlyThePairsBruteForceFinds(radius: Int) {
        let hashes = clustered(count: 400, seed: UInt64(radius) + 7)
        let expected = bruteForce(hashes, radius: radius)
        let result = NearDuplicateSearch(maxDistance: radius, keep: 1_000_000).search(hashes)
        #expect(result.pairCount == expected.count)
        // Without identical hashes in a group, every pair is kept when `keep` is large.
        let identical = expected.filter { $0.distance == 0 }.count
        #expect(result.identicalPairCount == identical)
        let kept = Set(result.closest)
        #expect(kept.isSubset(of: expected))
        let flagged = Set(expected.flatMap { [$0.first, $0.second] })
        #expect(result.inputsWithNearDuplicate == flagged.count)
    }

    @Test func distinctValuesReportEveryPairOnce() {
        let hashes: [UInt64] = [0, 1, 3, 7, 0xFFFF_0000_0000_0000, 0xFFFF_0000_0000_0001]
        let result = NearDuplicateSearch(maxDistance: 2, keep: 100).search(hashes)
        #expect(Set(result.closest) == bruteForce(hashes, radius: 2))
        #expect(result.closest.count == result.pairCount)
    }

    @Test func identicalHashesAreCountedNotEnumerated() {
        let hashes = [UInt64](repeating: 0xDEAD_BEEF, count: 20_000)
        let result = NearDuplicateSearch(maxDistance: 6, keep: 200).search(hashes)
        #expect(result.pairCount == 20_000 * 19_999 / 2)
        #expect(result.identicalPairCount == result.pairCount)
        #expect(result.closest.count == 200)
        #expect(result.closest.allSatisfy { $0.first == 0 && $0.distance == 0 })
        #expect(result.inputsWithNearDuplicate == 20_000)
    }

    @Test func closestPairsComeFirstAndAreCapped() {
        var hashes: [UInt64] = []
        for base in 0..<50 { hashes += [UInt64(base) << 40, UInt64(base) << 40 | 0b111] }  // 50 pairs at distance 3
        hashes += [1 << 63, 1 << 63]  // one identical pair
        let result = NearDuplicateSearch(maxDistance: 3, keep: 10).search(hashes)
        #expect(result.closest.count == 10)
        #expect(result.closest[0] == .init(first: 100, second: 101, distance: 0))
        #expect(result.closest.map(\.distance) == result.closest.map(\.distance).sorted())
        #expect(result.pairCount >= 51)
    }

    @Test func chunksCoverAllSixtyFourBitsOnce() {
        for count in 1...16 {
            let chunks = NearDuplicateSearch.chunks(count: count)
            var covered: UInt64 = 0
            for chunk in chunks {
                let bits = chunk.mask << chunk.shift
                #expect(covered & bits == 0)
                covered |= bits
            }
            #expect(covered == .max)
        }
    }
}


@Suite struct NearDuplicateBudgetTests {
    @Test func mutuallyCloseHashesStopAtTheBudgetWithLowerBounds() {
        var generator = SplitMix64(seed: 3)
        let hashes: [UInt64] = (0..<3_000).map { _ in (0..<3).reduce(UInt64(0xF0F0)) { h, _ in h ^ (1 << (generator.next() % 64)) } }
        let bounded = NearDuplicateSearch(maxDistance: 6, keep: 50, maxComparisons: 100_000).search(hashes)
        #expect(!bounded.isExhaustive)
        #expect(bounded.closest.count == 50)
        let full = NearDuplicateSearch(maxDistance: 6, keep: 50).search(hashes)
        #expect(full.isExhaustive)
        #expect(bounded.pairCount <= full.pairCount)
    }
}
