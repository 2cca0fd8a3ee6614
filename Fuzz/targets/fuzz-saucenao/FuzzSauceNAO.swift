import Foundation
@testable import ImageLookup

/// libFuzzer entry: SauceNAO's JSON answer with its loosely typed fields, and best-match selection.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSauceNAO(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    for status in [200, 429] {
        let answer = SauceNAOAnswer.parse(status: status, body: body)
        if case .results(let header, let results) = answer {
            _ = SauceNAOAnswer.bestMatch(in: results, header: header, minimumSimilarity: 50)
        }
    }
    return 0
}
