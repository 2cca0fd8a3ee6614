import Foundation
import SystemIO

// Cost of giving review/ its own copy of a dataset (never a hard link): FileClone (FICLONE reflink where the file
// system shares extents, else copy_file_range) beside `cp -r` on the same ~300 MB of images.
// Usage: bench-clone [FOLDER] [MEGABYTES]   (FOLDER on the file system to measure; default the temp folder)

let arguments = CommandLine.arguments
let base = arguments.count > 1 ? arguments[1] : NSTemporaryDirectory()
let megabytes = arguments.count > 2 ? Int(arguments[2]) ?? 300 : 300
let work = base + "/sluice-bench-clone-\(getpid())"
let source = work + "/dataset", clones = work + "/clone", copies = work + "/cp"
for folder in [source, clones] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
defer { try? FileManager.default.removeItem(atPath: work) }

// 100 files of incompressible bytes, as images are.
let fileCount = 100
let fileSize = megabytes << 20 / fileCount
var generator = SystemRandomNumberGenerator()
for index in 0..<fileCount {
    var bytes = [UInt8](repeating: 0, count: fileSize)
    for offset in stride(from: 0, to: fileSize, by: 8) {
        withUnsafeBytes(of: generator.next() as UInt64) { word in
            for byte in 0..<min(8, fileSize - offset) { bytes[offset + byte] = word[byte] }
        }
    }
    FileManager.default.createFile(atPath: source + "/\(index).png", contents: Data(bytes))
}
let names = (0..<fileCount).map { "\($0).png" }
// Both runs end with the data on disk (fsync), as review/ needs to survive a crash.
sync()

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now()
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

var method = FileClone.Method.copy
let cloneTime = try seconds {
    for name in names { method = try FileClone.cloneOrCopy(from: source + "/" + name, to: clones + "/" + name) }
    sync()
}
let cpTime = try seconds {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/cp")
    process.arguments = ["-r", source, copies]
    try process.run()
    process.waitUntilExit()
    sync()
}
let total = Double(fileCount * fileSize) / 1_048_576
print(String(format: "copy of %.0f MB (%d files) in %@", total, fileCount, base))
print(String(format: "  sluice FileClone (%@)  %6.2f s  %7.1f MB/s", method.rawValue, cloneTime, total / cloneTime))
print(String(format: "  cp -r                  %6.2f s  %7.1f MB/s", cpTime, total / cpTime))
