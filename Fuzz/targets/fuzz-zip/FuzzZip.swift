import Foundation
@testable import ZipArchive

/// A per-process scratch folder on tmpfs: the reader works on paths, so each input is written to a file first.
private let scratch: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let folder = "\(base)/sluice-fuzz-zip-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}()

/// libFuzzer entry: the central directory, Zip64 records, local headers, inflate and the extraction plan.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let archive = scratch + "/input.zip"
    let destination = scratch + "/out"
    FileManager.default.createFile(atPath: archive, contents: Data(bytes: data, count: size))
    guard let reader = try? ZipReader(path: archive) else { return 0 }
    for entry in reader.entries.prefix(64) {
        _ = ZipEntryName.problem(with: entry.name)
        _ = try? reader.contents(of: entry, limit: 1 << 20)
    }
    let limits = ZipExtractionLimits(
        maxEntries: 256, maxTotalUncompressedBytes: 4 << 20, maxCompressionRatio: 100, ratioAppliesAbove: 4096)
    _ = try? reader.extractAll(into: destination, limits: limits)
    try? FileManager.default.removeItem(atPath: destination)
    return 0
}
