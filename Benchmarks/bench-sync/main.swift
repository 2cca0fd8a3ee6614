import Foundation
import NASSync

// Sync of 1,000 images (~300 MB) from final/ to a local folder: Sluice's SyncRunner (rsync with filters, itemized
// output, a checksum verification of what was sent) beside plain `rsync -a` of the same tree, first run and a
// no-change second run. The tree is generated once under $BENCH_DIR (default /tmp/sluice-bench-sync).

let base = ProcessInfo.processInfo.environment["BENCH_DIR"] ?? NSTemporaryDirectory() + "sluice-bench-sync"
let final = base + "/final"
let imageCount = 1000
let imageBytes = 300_000

/// Writes the tree once: 1,000 incompressible "images" in 10 category folders, each with an .xmp sidecar.
func generate() throws {
    let marker = base + "/.generated-\(imageCount)-\(imageBytes)"
    if FileManager.default.fileExists(atPath: marker) { return }
    try? FileManager.default.removeItem(atPath: base)
    var generator = SystemRandomNumberGenerator()
    for index in 0..<imageCount {
        let folder = final + "/Category\(index % 10)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var data = Data(count: imageBytes)
        data.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for word in words.indices { words[word] = generator.next() }
        }
        let path = folder + String(format: "/image%04d.jpg", index)
        try data.write(to: URL(fileURLWithPath: path))
        try Data("<x:xmpmeta><rdf:RDF/></x:xmpmeta>\n".utf8).write(to: URL(fileURLWithPath: path + ".xmp"))
    }
    FileManager.default.createFile(atPath: marker, contents: nil)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func plainRsync(to destination: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["rsync", "-a", final + "/", destination + "/"]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { fatalError("rsync -a failed: \(process.terminationStatus)") }
}

try generate()
let megabytes = Double(imageCount * (imageBytes + 34)) / 1_048_576
let sluiceDestination = base + "/nas-sluice"
let peerDestination = base + "/nas-rsync"
for folder in [sluiceDestination, peerDestination] { try? FileManager.default.removeItem(atPath: folder) }
let runner = SyncRunner(source: final, settings: SyncSettings(destination: .localPath(sluiceDestination)))

var sent = 0
let sluiceFirst = try seconds { sent = try runner.run(dryRun: false).sent.count }
let sluiceSecond = try seconds { _ = try runner.run(dryRun: false) }
let peerFirst = try seconds { try plainRsync(to: peerDestination) }
let peerSecond = try seconds { try plainRsync(to: peerDestination) }

print(String(format: "bench-sync: %d images + %d sidecars, %.0f MB, local folder to local folder", imageCount, imageCount, megabytes))
print("                          first run            no-change run")
print(String(format: "sluice sync (verified)    %6.2f s %6.0f MB/s   %6.3f s", sluiceFirst, megabytes / sluiceFirst, sluiceSecond))
print(String(format: "rsync -a                  %6.2f s %6.0f MB/s   %6.3f s", peerFirst, megabytes / peerFirst, peerSecond))
print("sluice sent \(sent) files on the first run")
