@testable import ImageLookup

/// libFuzzer entry: IQDB's HTML result page (match cards, sizes, similarity, links).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIQDB(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let html = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? IQDBPage.parse(html: html, baseURL: "https://iqdb.org/")
    return 0
}
