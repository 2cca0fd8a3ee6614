import DuplicateSearch
import Foundation

// Near-duplicate search over 64-bit pHashes: Sluice's multi-index search (pairs counted, 200 kept) beside the
// quadratic all-pairs pass that keeps every pair (how the index step worked before), on the same hashes.
// Usage: bench-neardup [COUNT] [RADIUS] [--peer]   (the peer keeps every pair: use --peer with 4,000 or fewer)

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now()
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// The peer: every pair compared and every pair within the radius kept.
func allPairs(_ hashes: [UInt64], radius: Int) -> Int {
    var kept: [(Int, Int, Int)] = []
    for a in 0..<hashes.count {
        for b in (a + 1)..<hashes.count {
            let distance = (hashes[a] ^ hashes[b]).nonzeroBitCount
            if distance <= radius { kept.append((a, b, distance)) }
        }
    }
    return kept.count
}

let arguments = CommandLine.arguments
let count = arguments.count > 1 ? Int(arguments[1]) ?? 20_000 : 20_000
let radius = arguments.count > 2 ? Int(arguments[2]) ?? 6 : 6
var generator = SystemRandomNumberGenerator()
let inputs: [(String, [UInt64])] = [
    ("identical", [UInt64](repeating: 0x8F3C_21A0_55E1_9B07, count: count)),
    ("distinct", (0..<count).map { _ in generator.next() }),
    // The worst case: one picture re-encoded many times, every hash 1–3 bits from the same centre.
    ("similar", (0..<count).map { _ in
        (0..<3).reduce(UInt64(0x8F3C_21A0_55E1_9B07)) { hash, _ in hash ^ (1 << (generator.next() % 64)) }
    }),
]
print("near-duplicate search, \(count) hashes, radius \(radius)")
for (name, hashes) in inputs {
    var result: NearDuplicateSearch.Result?
    let time = seconds { result = NearDuplicateSearch(maxDistance: radius, keep: 200).search(hashes) }
    print(String(
        format: "  %-9@ sluice    %8.3f s  peak RSS %7.1f MB  pairs %@%d (kept %d)", name as NSString, time,
        peakRSSMegabytes(), (result!.isExhaustive ? "" : "at least ") as NSString, result!.pairCount,
        result!.closest.count))
}
// The peer runs last, in this process, so its memory does not inflate Sluice's figures above.
if arguments.contains("--peer") {
    for (name, hashes) in inputs {
        var pairs = 0
        let time = seconds { pairs = allPairs(hashes, radius: radius) }
        print(String(
            format: "  %-9@ all-pairs %8.3f s  peak RSS %7.1f MB  pairs %d (kept all)", name as NSString, time,
            peakRSSMegabytes(), pairs))
    }
}
