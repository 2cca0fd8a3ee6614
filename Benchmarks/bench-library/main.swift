import Configuration
import Foundation
import Hashing
import HTTPClient
import ImageLookup
import Imaging
import Library
import LookupFakes
import LoopbackHTTPServer

// N images (default 1,000) through every library stage against zero-latency loopback fakes (a third found on Danbooru
// by MD5, a third by SauceNAO, a third nowhere), then the shell pipeline a user would write for the same result:
// exiftool, one process per image, writing the same sidecar fields, then cp into the category folder.
// `--no-analysis` switches the analyze stage off (the scan then decodes for the pHash alone), to show its cost.
let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1000 : 1000
let analysis = !CommandLine.arguments.contains("--no-analysis")
let base = FileManager.default.temporaryDirectory.appendingPathComponent("bench-library-\(getpid())").path
let drop = base + "/drop", root = base + "/root"
try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
try FileManager.default.createDirectory(atPath: root + "/.sluice", withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: base) }

var md5s: [String] = []
var totalBytes = 0
for index in 0..<count {
    let format: ImageFormat = index % 2 == 0 ? .jpeg : .png
    let path = drop + "/image-\(index).\(format.fileExtension)"
    try ImageEncoder.write(PixelImage.pattern(width: 512, height: 384 + index % 64, seed: UInt64(index)), as: format, to: path)
    md5s.append(try FileDigest.hex(of: path, algorithm: .md5))
    totalBytes += (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}
let exact = Dictionary(uniqueKeysWithValues: md5s.enumerated().filter { $0.offset % 3 == 0 }.map { ($1, $0 + 1) })
let sauce = Dictionary(uniqueKeysWithValues: md5s.enumerated().filter { $0.offset % 3 == 1 }.map { ($1, $0 + 1) })
let fakes = try FakeServices()
func post(_ id: Int, _ md5: String) -> String {
    let character = ["hatsune_miku", "kagamine_rin", ""][id % 3]
    return Fixtures.danbooruPost(id: id, md5: md5)
        .replacingOccurrences(of: "\"tag_string_character\":\"hu_tao_(genshin_impact)\"", with: "\"tag_string_character\":\"\(character)\"")
}
fakes.on(.danbooru) { request in
    if let md5 = request.query["md5"] { return exact[md5].map { .json(post($0, md5)) } ?? .json(Fixtures.danbooruNotFound, status: 404) }
    let id = request.path.firstMatch(of: /posts\/(\d+)\.json/).flatMap { Int($0.1) } ?? 0
    return .json(post(id, String(repeating: "0", count: 32)))
}
fakes.on(.saucenao) { request in
    let md5 = FileDigest.hex(of: request.formParts.first { $0.name == "file" }?.data ?? Data(), algorithm: .md5)
    let results = sauce[md5].map { "[\(Fixtures.saucenaoDanbooruResult(similarity: "95.0", danbooruID: $0, gelbooruID: nil))]" } ?? "null"
    return .json(Fixtures.saucenao(results: results, shortLimit: "1000000", longLimit: "1000000", shortRemaining: 999_999, longRemaining: 999_999))
}

var config = SluiceConfig()
config.library.review = .never
config.library.stages.analyze = analysis
var characters = SluiceConfig.CategoryRuleConfig(name: "characters", folder: "Characters/{character}")
characters.has = ["character"]
var fanart = SluiceConfig.CategoryRuleConfig(name: "fanart", folder: "Fanart/{copyright}")
fanart.has = ["copyright"]
config.library.categories = [characters, fanart]
let session = try LookupSession(settings: fakes.settings(), cache: LookupCache(path: root + "/.sluice/lookup.sqlite"))
let started = ContinuousClock.now
let report = try await LibraryRun(options: LibraryRunOptions(drop: drop, root: root, config: config), lookup: session, log: { _ in }).run().manifest()
let wall = (ContinuousClock.now - started).seconds
let organized = report.images.filter { $0.destination != nil }.count
var stageSeconds: [LibraryStage: Double] = [:]
for image in report.images {
    for stage in LibraryStage.imageStages { stageSeconds[stage, default: 0] += (image.outcome(stage)?.milliseconds ?? 0) / 1000 }
}
let lookupSeconds = stageSeconds[.lookup] ?? 0
let nonNetwork = wall - lookupSeconds

// The peer: the same sidecar fields and the same category folders, by exiftool (one process per image) and cp.
var script = "set -e\n"
let peerFinal = base + "/peer-final"
func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
for image in report.images {
    guard let folder = image.category?.folder else { continue }
    let tags = image.approvedTags ?? []
    var arguments = ["exiftool", "-q", "-o", quoted(peerFinal + "/" + folder + "/" + (image.path as NSString).lastPathComponent + ".xmp")]
    for tag in tags {
        let flat = tag.category == "rating" ? "rating:\(tag.name)" : tag.name
        arguments += [quoted("-XMP-dc:Subject=\(flat)"), quoted("-XMP-lr:HierarchicalSubject=\(tag.category)|\(tag.name)"),
                      quoted("-XMP-digiKam:TagsList=\(tag.category)/\(tag.name)"), quoted("-XMP-microsoft:LastKeywordXMP=\(tag.category)/\(tag.name)")]
    }
    if let source = image.source { arguments.append(quoted("-XMP-dc:Source=\(source)")) }
    arguments.append(quoted(drop + "/" + image.path))
    script += "mkdir -p \(quoted(peerFinal + "/" + folder))\n" + arguments.joined(separator: " ") + "\n"
    script += "cp \(quoted(drop + "/" + image.path)) \(quoted(peerFinal + "/" + folder + "/"))\n"
}
try script.write(toFile: base + "/peer.sh", atomically: true, encoding: .utf8)
let peerStart = ContinuousClock.now
let shell = Process()
shell.executableURL = URL(fileURLWithPath: "/bin/bash")
shell.arguments = [base + "/peer.sh"]
try shell.run()
shell.waitUntilExit()
let peerWall = (ContinuousClock.now - peerStart).seconds

print("bench-library: \(count) images (\(String(format: "%.1f", Double(totalBytes) / 1_000_000)) MB), \(organized) organized, zero-latency fakes, built-in analysis \(analysis ? "on" : "off")")
for stage in LibraryStage.imageStages {
    print(String(format: "  %-10@ %8.1f ms/image", stage.rawValue as NSString, (stageSeconds[stage] ?? 0) * 1000 / Double(count)))
}
print(String(format: "sluice library run: wall %.2f s, lookup stage (loopback HTTP + cache) %.2f s, non-network %.2f s = %.2f ms/image",
             wall, lookupSeconds, nonNetwork, nonNetwork * 1000 / Double(count)))
print(String(format: "peer (exiftool per image + cp, tags already known): wall %.2f s = %.2f ms/image (exit %d)",
             peerWall, peerWall * 1000 / Double(count), shell.terminationStatus))
print(String(format: "sluice's non-network time is %.1fx faster than the peer; its whole run including lookups is %.1fx faster",
             peerWall / nonNetwork, peerWall / wall))
