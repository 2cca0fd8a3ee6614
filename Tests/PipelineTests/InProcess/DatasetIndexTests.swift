import Foundation
import Pipeline
import Testing

/// Issue 9 item 2: the near-duplicate pass is sub-quadratic, keeps 200 pairs and counts the rest; old indexes decode.
@Suite struct DatasetIndexTests {
    static func index(hashes: [UInt64]) throws -> DatasetIndex {
        let images = hashes.enumerated().map { offset, hash in
            """
            {"path":"img_\(offset).png","sha256":"\(offset)","size":1,"width":1,"height":1,"format":"png","perceptualHash":"\(String(format: "%016llx", hash))"}
            """
        }
        return try JSONDecoder().decode(DatasetIndex.self, from: Data("{\"images\":[\(images.joined(separator: ","))]}".utf8))
    }

    @Test func twentyThousandIdenticalHashesKeepTwoHundredPairsAndCountAll() throws {
        var index = try Self.index(hashes: Array(repeating: 0xDEAD_BEEF_0000_FFFF, count: 20_000))
        index.findNearDuplicates(threshold: 6)
        #expect(index.nearDuplicates.count == DatasetIndex.nearDuplicatesKept)
        #expect(index.nearDuplicatePairCount == 20_000 * 19_999 / 2)
        let encoded = try JSONEncoder().encode(index)
        #expect(encoded.count < 4_000_000, "index.json stays small: \(encoded.count) bytes")
    }

    @Test func anIndexWrittenBeforeLeftOutAndPairCountsStillDecodes() throws {
        let old = """
            {"images":[],"unreadable":[{"path":"a.png","reason":"bad"}],"exactDuplicates":[],
             "nearDuplicates":[{"first":"a.png","second":"b.png","distance":3}]}
            """
        let index = try JSONDecoder().decode(DatasetIndex.self, from: Data(old.utf8))
        #expect(index.leftOut.isEmpty)
        #expect(index.nearDuplicatePairCount == 1)
        #expect(index.unreadable.map(\.path) == ["a.png"])
    }
}
