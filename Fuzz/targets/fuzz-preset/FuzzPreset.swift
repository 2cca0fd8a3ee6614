@testable import TagNormalization

/// libFuzzer entry: the preset JSON reader (syntax, depth, keys, alias chains and implications).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPreset(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? Preset.parse(bytes, file: "fuzz.json")
    var parser = JSONParser(bytes)
    _ = try? parser.parseDocument()
    return 0
}
