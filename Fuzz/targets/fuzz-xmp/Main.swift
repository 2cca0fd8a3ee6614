import CFuzzerDriver

/// The executable's entry point (SwiftPM links main to `<module>_main`): hands control to libFuzzer's driver.
@_cdecl("fuzz_xmp_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzXMP(data!, size) }
}
