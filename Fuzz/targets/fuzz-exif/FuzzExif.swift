import Foundation
@testable import ExifMetadata

/// libFuzzer entry: the EXIF block locator over JPEG segments, PNG chunks and WebP RIFF chunks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExif(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    _ = try? ExifBlockLocator.exifBlock(in: bytes)
    // A slice whose indices do not start at zero, as Data read from the middle of a buffer has.
    if size > 1 { _ = try? ExifBlockLocator.exifBlock(in: bytes[1...]) }
    return 0
}
