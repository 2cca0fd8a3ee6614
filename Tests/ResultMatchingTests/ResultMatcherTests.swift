import Imaging
import Testing

@testable import ResultMatching


func original(_ path: String, sha: String, _ width: Int = 1000, _ height: Int = 800, hash: UInt64) -> ManifestEntry {
    ManifestEntry(originalPath: path, sha256: sha, size: 1000, width: width, height: height, perceptualHash: hash)
}

func result(_ name: String, sha: String, _ width: Int = 1000, _ height: Int = 800, hash: UInt64) -> ResultImage {
    ResultImage(name: name, sha256: sha, width: width, height: height, perceptualHash: hash)
}

/// Flips the lowest `bits` bits: a stand-in for the small hash drift of a re-encode.
func drift(_ hash: UInt64, bits: Int) -> UInt64 { hash ^ ((1 << UInt64(bits)) - 1) }

@Suite("ResultMatcher")
struct ResultMatcherTests {
    let hashA: UInt64 = 0xF0F0_F0F0_0F0F_0F0F
    let hashB: UInt64 = 0x1234_5678_9ABC_DEF0
    let hashC: UInt64 = 0xFFFF_0000_FFFF_0000

    @Test func identicalBytesMatchBySHARegardlessOfNames() {
        let manifest = [original("a/cat.png", sha: "aa", hash: hashA), original("dog.jpeg", sha: "bb", hash: hashB)]
        let results = [result("000.jpg", sha: "BB", hash: hashB), result("001.png", sha: "aa", hash: hashA)]
        let report = ResultMatcher.match(manifest: manifest, results: results)
        #expect(report.matches == [
            ResultMatch(resultName: "000.jpg", originalPath: "dog.jpeg", kind: .exact),
            ResultMatch(resultName: "001.png", originalPath: "a/cat.png", kind: .exact),
        ])
        #expect(report.score == 1)
        #expect(report.unmatchedResults.isEmpty && report.unmatchedOriginals.isEmpty)
    }

    @Test func reencodedImageMatchesByHashAndAspectRatio() {
        let manifest = [original("big.png", sha: "aa", 4000, 3000, hash: hashA), original("b.png", sha: "bb", hash: hashB)]
        let results = [result("000.png", sha: "zz", 2048, 1536, hash: drift(hashA, bits: 3)), result("001.png", sha: "bb", hash: hashB)]
        let report = ResultMatcher.match(manifest: manifest, results: results)
        #expect(report.original(forResult: "000.png") == "big.png")
        #expect(report.matches.first { $0.resultName == "000.png" }?.kind == .perceptual(distance: 3))
        #expect(report.exactCount == 1)
    }

    @Test func closeHashWithOtherAspectRatioIsNotMatched() {
        let manifest = [original("wide.png", sha: "aa", 4000, 2000, hash: hashA)]
        let results = [result("000.png", sha: "zz", 2048, 2048, hash: drift(hashA, bits: 1))]
        let report = ResultMatcher.match(manifest: manifest, results: results)
        #expect(report.matches.isEmpty)
        #expect(report.unmatchedResults == ["000.png"])
        #expect(report.unmatchedOriginals == ["wide.png"])
        #expect(report.score == 0)
    }

    @Test func farHashIsReportedNotGuessed() {
        let manifest = [original("a.png", sha: "aa", hash: hashA)]
        let results = [result("000.png", sha: "zz", hash: drift(hashA, bits: 11))]
        let report = ResultMatcher.match(manifest: manifest, results: results)
        #expect(report.matches.isEmpty)
        #expect(report.unmatchedResults == ["000.png"])
    }

    @Test func equallyGoodOriginalsLeaveTheResultAmbiguous() {
        // Two near-duplicate originals, and a result exactly 2 bits from each: either choice would be a guess.
        let manifest = [original("x1.png", sha: "a1", hash: hashA), original("x2.png", sha: "a2", hash: hashA ^ 0b1111)]
        let report = ResultMatcher.match(manifest: manifest, results: [result("000.png", sha: "zz", hash: hashA ^ 0b11)])
        #expect(report.matches.isEmpty)
        #expect(report.ambiguousResults == ["000.png"])
        #expect(report.unmatchedResults.isEmpty)
        #expect(report.unmatchedOriginals == ["x1.png", "x2.png"])
    }

    @Test func duplicateOriginalsPairOneToOne() {
        let manifest = [original("one.png", sha: "dd", hash: hashA), original("two.png", sha: "dd", hash: hashA)]
        let results = [result("000.png", sha: "dd", hash: hashA), result("001.png", sha: "dd", hash: hashA)]
        let report = ResultMatcher.match(manifest: manifest, results: results)
        #expect(Set(report.matches.map(\.originalPath)) == ["one.png", "two.png"])
        #expect(report.matches.allSatisfy { $0.kind == .exact })
    }

    @Test func closestPairsAreAssignedFirst() {
        // r0 is 2 bits from m0 and 5 from m1; r1 is 4 bits from m0 and 6 from m1. Best-first gives r0→m0, r1→m1.
        let m0 = hashA, m1 = hashA ^ 0xFF00_0000_0000_0000
        let manifest = [original("m0.png", sha: "1", hash: m0), original("m1.png", sha: "2", hash: m1)]
        let results = [
            result("000.png", sha: "x", hash: m0 ^ 0b11),
            result("001.png", sha: "y", hash: m1 ^ 0b11_1111),
        ]
        let report = ResultMatcher.match(manifest: manifest, results: results)
        #expect(report.original(forResult: "000.png") == "m0.png")
        #expect(report.original(forResult: "001.png") == "m1.png")
    }

    @Test func resultScoresHighestAgainstItsOwnManifest() {
        var random = SplitMix64(seed: 7)
        let jobA = (0..<50).map { original("a\($0).png", sha: "a\($0)", hash: random.next()) }
        let jobB = (0..<50).map { original("b\($0).png", sha: "b\($0)", hash: random.next()) }
        let results = jobB.enumerated().map { result(ResultLayout.entryName(index: $0.offset, originalExtension: "png"), sha: $0.element.sha256, hash: $0.element.perceptualHash) }
        let scoreA = ResultMatcher.match(manifest: jobA, results: results).score
        let scoreB = ResultMatcher.match(manifest: jobB, results: results).score
        #expect(scoreB == 1)
        #expect(scoreA < 0.1)
    }

    @Test func thousandEntriesMatchWellUnderASecond() {
        var random = SplitMix64(seed: 42)
        let manifest = (0..<1000).map { index in
            original("set/img_\(index).png", sha: "sha\(index)", 1000 + index % 300, 800 + index % 200, hash: random.next())
        }
        var results: [ResultImage] = []
        for (position, index) in Array(0..<1000).shuffled(using: &random).enumerated() {
            let entry = manifest[index]
            let name = ResultLayout.entryName(index: position, originalExtension: "png")
            if index % 10 == 0 {
                // Every tenth image comes back re-encoded at half size.
                results.append(result(name, sha: "new\(index)", entry.width / 2, entry.height / 2, hash: drift(entry.perceptualHash, bits: 3)))
            } else {
                results.append(result(name, sha: entry.sha256, entry.width, entry.height, hash: entry.perceptualHash))
            }
        }
        let clock = ContinuousClock()
        var report: MatchReport?
        let elapsed = clock.measure { report = ResultMatcher.match(manifest: manifest, results: results) }
        #expect(elapsed < .milliseconds(500), "matching took \(elapsed)")
        #expect(report?.matches.count == 1000)
        #expect(report?.exactCount == 900)
        for match in report?.matches ?? [] {
            let index = Int(match.originalPath.split(separator: "_").last!.dropLast(4))!
            let expected = results.first { $0.sha256 == "sha\(index)" || $0.sha256 == "new\(index)" }!.name
            #expect(match.resultName == expected)
        }
    }
}

@Suite("Result layout and captions")
struct ResultLayoutTests {
    @Test func captionsPairWithImagesOfTheSameIndex() {
        let layout = ResultLayout(entryNames: ["001.jpg", "000.png", "000.txt", "002.webp", "002.txt", "1000.png", "1000.txt", "999.png"])
        #expect(layout.images == ["000.png", "001.jpg", "002.webp", "999.png", "1000.png"])
        #expect(layout.captions == ["000.png": "000.txt", "002.webp": "002.txt", "1000.png": "1000.txt"])
        #expect(layout.captions["001.jpg"] == nil)
        #expect(layout.orphanCaptions.isEmpty)
    }

    @Test func strayEntriesAreSetAside() {
        let layout = ResultLayout(entryNames: ["000.PNG", "005.txt", "readme.md", "folder/", "000.TXT"])
        #expect(layout.images == ["000.PNG"])
        #expect(layout.captions == ["000.PNG": "000.TXT"])
        #expect(layout.orphanCaptions == ["005.txt"])
        #expect(layout.otherEntries == ["readme.md"])
    }

    @Test(arguments: [
        ("000.png", 0), ("007.jpg", 7), ("999.webp", 999), ("1000.png", 1000), ("1234.jpg", 1234),
    ])
    func indexNamesParse(name: String, index: Int) {
        #expect(ResultLayout.index(of: name) == index)
    }

    @Test(arguments: ["cat.png", "7.png", "00a.png", "000", "٠٠١.png"])
    func otherNamesHaveNoIndex(name: String) {
        #expect(ResultLayout.index(of: name) == nil)
    }

    @Test(arguments: [
        (0, "png", "000.png"), (7, "jpeg", "007.jpg"), (42, "JPG", "042.jpg"), (999, "webp", "999.webp"),
        (1000, "png", "1000.png"),
    ])
    func entryNamesFollowCivitAI(index: Int, ext: String, expected: String) {
        #expect(ResultLayout.entryName(index: index, originalExtension: ext) == expected)
    }

    @Test(arguments: [
        ("mytrigger, 1girl, solo", "mytrigger", "1girl, solo"),
        ("My_Trigger, 1girl", "my trigger", "1girl"),
        ("  mytrigger,1girl ", "mytrigger", "1girl"),
        ("1girl, mytrigger", "mytrigger", "1girl, mytrigger"),
        ("mytrigger", "mytrigger", ""),
        ("1girl, solo", nil, "1girl, solo"),
        ("mytriggerx, solo", "mytrigger", "mytriggerx, solo"),
    ] as [(String, String?, String)])
    func prependedTriggerIsRemoved(caption: String, trigger: String?, expected: String) {
        #expect(ReturnedCaption.removingTrigger(trigger, from: caption) == expected)
    }
}
