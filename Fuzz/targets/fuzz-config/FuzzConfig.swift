@testable import Configuration

/// libFuzzer entry: sluice.yaml parsing (Yams) and validation of every section.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    _ = try? SluiceConfig.parse(text, file: "fuzz.yaml")
    return 0
}
