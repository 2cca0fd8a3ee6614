/// How close a re-encoded image must be to count as the same picture.
public struct MatchingOptions: Sendable, Equatable {
    /// The largest perceptual hash distance (of 64 bits) accepted for a re-encoded image.
    public var maxHashDistance: Int
    /// The largest relative difference of width/height ratios accepted (0.02 = 2 %), plus one pixel of rounding.
    public var aspectRatioTolerance: Double

    public init(maxHashDistance: Int = 10, aspectRatioTolerance: Double = 0.02) {
        self.maxHashDistance = maxHashDistance
        self.aspectRatioTolerance = aspectRatioTolerance
    }
}

/// One result image assigned to one original.
public struct ResultMatch: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Same bytes (SHA-256).
        case exact
        /// Re-encoded: same picture by perceptual hash and aspect ratio.
        case perceptual(distance: Int)
    }

    public var resultName: String
    public var originalPath: String
    public var kind: Kind
}

/// The outcome of matching a result archive against an upload manifest.
public struct MatchReport: Sendable, Equatable {
    /// One-to-one assignments, in result name order.
    public var matches: [ResultMatch]
    /// Result images no original matched (reported, never guessed).
    public var unmatchedResults: [String]
    /// Result images with two or more equally good originals: left unmatched rather than guessed.
    public var ambiguousResults: [String]
    /// Originals that no result image matched.
    public var unmatchedOriginals: [String]
    /// How well the result fits the manifest, 0–1: twice the matches over the total of both sides.
    public var score: Double

    public var exactCount: Int { matches.filter { $0.kind == .exact }.count }

    /// The original a result image was matched to, if any.
    public func original(forResult name: String) -> String? {
        matches.first { $0.resultName == name }?.originalPath
    }
}

/// Maps an auto-tagger's result images back to the uploaded originals.
///
/// CivitAI renames every entry to its list index and re-encodes some images, so names carry no information:
/// images match by SHA-256 first, then by perceptual hash and aspect ratio, one-to-one and best-first.
public enum ResultMatcher {
    public static func match(
        manifest: [ManifestEntry], results: [ResultImage], options: MatchingOptions = MatchingOptions()
    ) -> MatchReport {
        var originalTaken = [Bool](repeating: false, count: manifest.count)
        var resultTaken = [Bool](repeating: false, count: results.count)
        var matches: [ResultMatch] = []

        // 1. Exact bytes. Duplicated originals are taken in manifest order, so equal bytes still pair one-to-one.
        var bySHA: [String: [Int]] = [:]
        for (index, entry) in manifest.enumerated() { bySHA[entry.sha256.lowercased(), default: []].append(index) }
        var nextBySHA: [String: Int] = [:]
        for (resultIndex, result) in results.enumerated() {
            let key = result.sha256.lowercased()
            guard let candidates = bySHA[key] else { continue }
            let position = nextBySHA[key, default: 0]
            guard position < candidates.count else { continue }
            nextBySHA[key] = position + 1
            originalTaken[candidates[position]] = true
            resultTaken[resultIndex] = true
            matches.append(ResultMatch(resultName: result.name, originalPath: manifest[candidates[position]].originalPath, kind: .exact))
        }

        // 2. Re-encoded images: every close enough pair, best first.
        struct Candidate {
            var distance: Int
            var aspectError: Double
            var result: Int
            var original: Int
        }
        var candidates: [Candidate] = []
        for (resultIndex, result) in results.enumerated() where !resultTaken[resultIndex] {
            for (originalIndex, original) in manifest.enumerated() where !originalTaken[originalIndex] {
                let distance = (result.perceptualHash ^ original.perceptualHash).nonzeroBitCount
                guard distance <= options.maxHashDistance,
                    let aspectError = aspectError(result, original, tolerance: options.aspectRatioTolerance)
                else { continue }
                candidates.append(Candidate(distance: distance, aspectError: aspectError, result: resultIndex, original: originalIndex))
            }
        }
        candidates.sort {
            ($0.distance, $0.aspectError, $0.result, $0.original) < ($1.distance, $1.aspectError, $1.result, $1.original)
        }
        var ambiguous: Set<Int> = []
        var start = 0
        while start < candidates.count {
            // Pairs at the same distance are decided together, so a tie is seen as a tie rather than won by order.
            var end = start
            while end < candidates.count && candidates[end].distance == candidates[start].distance { end += 1 }
            let tier = candidates[start..<end].filter { !resultTaken[$0.result] && !originalTaken[$0.original] }
            var perResult: [Int: Int] = [:], perOriginal: [Int: Int] = [:]
            for pair in tier {
                perResult[pair.result, default: 0] += 1
                perOriginal[pair.original, default: 0] += 1
            }
            // A tie takes both sides out of play: matching either later would be a guess.
            var tied: [Candidate] = []
            for pair in tier where perResult[pair.result]! > 1 || perOriginal[pair.original]! > 1 {
                tied.append(pair)
                ambiguous.insert(pair.result)
            }
            for pair in tied {
                resultTaken[pair.result] = true
                originalTaken[pair.original] = true
            }
            for pair in tier where !resultTaken[pair.result] && !originalTaken[pair.original] {
                resultTaken[pair.result] = true
                originalTaken[pair.original] = true
                matches.append(
                    ResultMatch(
                        resultName: results[pair.result].name, originalPath: manifest[pair.original].originalPath,
                        kind: .perceptual(distance: pair.distance)))
            }
            start = end
        }

        let matchedNames = Set(matches.map(\.resultName))
        let matchedOriginals = Set(matches.map(\.originalPath))
        let unmatched = results.indices.filter { !matchedNames.contains(results[$0].name) }
        let total = manifest.count + results.count
        return MatchReport(
            matches: matches.sorted { $0.resultName < $1.resultName },
            unmatchedResults: unmatched.filter { !ambiguous.contains($0) }.map { results[$0].name }.sorted(),
            ambiguousResults: unmatched.filter { ambiguous.contains($0) }.map { results[$0].name }.sorted(),
            unmatchedOriginals: manifest.map(\.originalPath).filter { !matchedOriginals.contains($0) },
            score: total == 0 ? 0 : Double(2 * matches.count) / Double(total))
    }

    /// The relative difference of the two aspect ratios, or nil when it exceeds the tolerance plus one pixel.
    static func aspectError(_ result: ResultImage, _ original: ManifestEntry, tolerance: Double) -> Double? {
        guard result.width > 0, result.height > 0, original.width > 0, original.height > 0 else { return nil }
        let resultRatio = Double(result.width) / Double(result.height)
        let originalRatio = Double(original.width) / Double(original.height)
        let error = abs(resultRatio - originalRatio) / originalRatio
        // Scaling to whole pixels moves the ratio by up to one pixel on either side.
        let rounding = 1 / Double(min(result.width, result.height))
        return error <= tolerance + rounding ? error : nil
    }
}
