import Foundation

/// Bridges the pipeline's manifest and result fingerprints to the matcher.
enum ResultMatcherAdapter {
    static let maximumDistance = 10
    static let aspectTolerance = 0.03

    static func match(manifest: UploadManifest, images: [ResultImage]) -> [ResultMapping.Pair] {
        var pairs: [ResultMapping.Pair] = []
        var taken: Set<String> = []
        var remaining: [ResultImage] = []
        var bySHA: [String: [UploadManifest.Entry]] = [:]
        for entry in manifest.entries { bySHA[entry.sha256, default: []].append(entry) }
        for image in images {
            if let entry = bySHA[image.sha256]?.first(where: { !taken.contains($0.original) }) {
                taken.insert(entry.original)
                pairs.append(.init(result: image.name, original: entry.original, byContent: true))
            } else {
                remaining.append(image)
            }
        }
        // Re-encoded images: closest perceptual hash with the same aspect ratio, best pairs first, one-to-one.
        var candidates: [(distance: Int, image: String, original: String)] = []
        for image in remaining {
            guard let hash = image.perceptualHash, image.height > 0 else { continue }
            for entry in manifest.entries where !taken.contains(entry.original) {
                guard let other = entry.perceptualHash.flatMap({ UInt64($0, radix: 16) }), entry.height > 0 else { continue }
                let aspect = Double(image.width) / Double(image.height)
                let expected = Double(entry.width) / Double(entry.height)
                guard abs(aspect - expected) / expected <= aspectTolerance else { continue }
                let distance = (hash ^ other).nonzeroBitCount
                if distance <= maximumDistance { candidates.append((distance, image.name, entry.original)) }
            }
        }
        var usedImages: Set<String> = []
        for candidate in candidates.sorted(by: { ($0.distance, $0.image, $0.original) < ($1.distance, $1.image, $1.original) }) {
            guard !usedImages.contains(candidate.image), !taken.contains(candidate.original) else { continue }
            usedImages.insert(candidate.image)
            taken.insert(candidate.original)
            pairs.append(.init(result: candidate.image, original: candidate.original, byContent: false))
        }
        return pairs
    }
}
