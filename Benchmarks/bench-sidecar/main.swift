// bench-sidecar: Sluice's XMP sidecar writer beside `exiftool -stay_open True -@ -` writing the same fields
// (dc:subject, lr:hierarchicalSubject, digiKam:TagsList, MicrosoftPhoto:LastKeywordXMP, dc:source,
// dc:description and Sluice's processed marker) for the same 300 images with 20–40 tags each.
import ExifMetadata
import Foundation
import Imaging
import XMPSidecar

let imageCount = 300
// Usage: bench-sidecar [FOLDER]; the sidecars go to a fresh folder inside FOLDER (default: the temp folder).
let parent = CommandLine.arguments.count > 1
    ? URL(fileURLWithPath: CommandLine.arguments[1]) : FileManager.default.temporaryDirectory
let root = parent.appendingPathComponent("bench-sidecar-\(getpid())")
defer { try? FileManager.default.removeItem(at: root) }

/// A booru-like vocabulary: categories, Unicode names and XML-special characters included.
func vocabulary() -> [SidecarTag] {
    let general = [
        "1girl", "solo", "long hair", "smile", "looking at viewer", "blue eyes", "open mouth", "skirt", "blush",
        "short hair", "twintails", "school uniform", "outdoors", "sky", "cloud", "holding", "hat", "ribbon",
        "thighhighs", "bangs", "cherry blossoms", "night", "from side", "upper body", "simple background",
    ]
    var tags = general.map { SidecarTag($0, category: "general") }
    tags += (0..<400).map { SidecarTag("general tag \($0)", category: "general") }
    tags += ["hatsune miku", "初音ミク", "kagamine rin", "remilia scarlet"].map { SidecarTag($0, category: "character") }
    tags += ["vocaloid", "touhou", "fate/grand order", "tom & jerry <3"].map { SidecarTag($0, category: "copyright") }
    tags += (0..<50).map { SidecarTag("artist_\($0) 🎨", category: "artist") }
    tags += ["highres", "absurdres", "commentary request", "translated \"quote\" 'x'"].map { SidecarTag($0, category: "meta") }
    return tags
}

/// The 300 images (tiny real JPEG files) and the update each gets.
func makeWorkload(in folder: URL) throws -> [(image: URL, update: SidecarUpdate)] {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var random = SplitMix64(seed: 0xB0_0A5E)
    let words = vocabulary()
    let ratings = ["general", "sensitive", "questionable", "explicit"]
    return try (0..<imageCount).map { index in
        let image = folder.appendingPathComponent(String(format: "img%03d.jpg", index))
        try Data([0xFF, 0xD8, 0xFF, 0xD9]).write(to: image)
        var tags = Array(words.shuffled(using: &random).prefix(19 + Int(random.next() % 21)))
        tags.append(.booruRating(ratings[Int(random.next() % 4)]))
        let update = SidecarUpdate(
            tags: tags, source: "https://danbooru.donmai.us/posts/\(1_000_000 + index)",
            description: "Image \(index): \(tags.prefix(3).map(\.name).joined(separator: ", "))")
        return (image, update)
    }
}

/// Wall-clock and CPU seconds of one phase; the machine may be shared, so CPU time is printed too.
struct Timing {
    var wall: Double
    var cpu: Double
}

func processCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func seconds(_ body: () throws -> Void) rethrows -> Timing {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = processCPUSeconds()
    try body()
    return Timing(wall: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpu: processCPUSeconds() - cpuStart)
}

/// User plus system CPU seconds a child process has used so far, from /proc/PID/stat.
func childCPUSeconds(_ pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let afterName = stat.range(of: ") ")
    else { return 0 }
    let fields = stat[afterName.upperBound...].split(separator: " ")
    let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)  // utime and stime: fields 14 and 15
    return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// exiftool in `-stay_open` mode, fed argument blocks on stdin, each answered by `{ready}`.
final class StayOpenExiftool {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var buffer = Data()

    init(config: URL) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
        process.arguments = ["-config", config.path, "-stay_open", "True", "-@", "-"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    @discardableResult
    func execute(_ arguments: [String]) -> String {
        let block = (arguments + ["-execute\n"]).joined(separator: "\n")
        input.fileHandleForWriting.write(Data(block.utf8))
        while buffer.range(of: Data("{ready}".utf8)) == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { fatalError("exiftool exited early") }
            buffer += chunk
        }
        defer { buffer.removeAll() }
        return String(decoding: buffer, as: UTF8.self).replacingOccurrences(of: "{ready}", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func close() {
        input.fileHandleForWriting.write(Data("-stay_open\nFalse\n".utf8))
        process.waitUntilExit()
    }
}

/// Lets exiftool write Sluice's own namespace, so both sides write the same fields.
let exiftoolConfig = """
    %Image::ExifTool::UserDefined = (
        'Image::ExifTool::XMP::Main' => {
            sluice => { SubDirectory => { TagTable => 'Image::ExifTool::UserDefined::sluice' } },
        },
    );
    %Image::ExifTool::UserDefined::sluice = (
        GROUPS => { 0 => 'XMP', 1 => 'XMP-sluice', 2 => 'Image' },
        NAMESPACE => { 'sluice' => 'http://ns.sluice.dev/xmp/1.0/' },
        WRITABLE => 'string',
        ProcessedVersion => { },
        ProcessedDate => { },
    );
    1;
    """

func exiftoolArguments(for update: SidecarUpdate, sidecar: URL, date: String) -> [String] {
    var arguments = ["-overwrite_original"]  // -q would also silence the {ready} answer
    for tag in update.tags {
        let flat = tag.category == "rating" ? "rating:\(tag.name)" : tag.name
        arguments.append("-XMP-dc:Subject=\(flat)")
        arguments.append("-XMP-lr:HierarchicalSubject=\(tag.category.map { "\($0)|" } ?? "")\(tag.name)")
        arguments.append("-XMP-digiKam:TagsList=\(tag.category.map { "\($0)/" } ?? "")\(tag.name)")
        arguments.append("-XMP-microsoft:LastKeywordXMP=\(tag.category.map { "\($0)/" } ?? "")\(tag.name)")
    }
    arguments += [
        "-XMP-dc:Source=\(update.source ?? "")", "-XMP-dc:Description=\(update.description ?? "")",
        "-XMP-sluice:ProcessedVersion=\(SidecarStore.defaultToolVersion)", "-XMP-sluice:ProcessedDate=\(date)",
        sidecar.path,
    ]
    return arguments
}

/// exiftool's JSON view of the fields both writers own, for checking that both wrote the same thing.
func ownedFields(of sidecar: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
    process.arguments = [
        "-j", "-G1", "-XMP-dc:Subject", "-XMP-lr:HierarchicalSubject", "-XMP-digiKam:TagsList",
        "-XMP-microsoft:LastKeywordXMP", "-XMP-dc:Source", "-XMP-dc:Description", sidecar.path,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var record = (try JSONSerialization.jsonObject(with: data) as? [[String: Any]])?.first ?? [:]
    record["SourceFile"] = nil
    return String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
}

let date = Date()
let store = SidecarStore()
let fastStore = SidecarStore(durability: .renameOnly)
let batchWork = try makeWorkload(in: root.appendingPathComponent("sluice-batch"))
let singleWork = try makeWorkload(in: root.appendingPathComponent("sluice-single"))
let fastWork = try makeWorkload(in: root.appendingPathComponent("sluice-rename-only"))
let peerWork = try makeWorkload(in: root.appendingPathComponent("exiftool"))
let tagCount = batchWork.reduce(0) { $0 + $1.update.tags.count }


let batchSeconds = seconds {
    for result in store.writeAll(batchWork, date: date) where (try? result.get()) != .created {
        fatalError("writeAll failed: \(result)")
    }
}
let singleSeconds = try seconds {
    for item in singleWork { guard try store.write(item.update, forImage: item.image, date: date) == .created else { fatalError() } }
}
_ = store.writeAll(try makeWorkload(in: root.appendingPathComponent("warm-up")), date: date)  // first-run costs are not timed
let fastSeconds = seconds {
    for result in fastStore.writeAll(fastWork, date: date) where (try? result.get()) != .created {
        fatalError("writeAll failed: \(result)")
    }
}
let rewriteSeconds = seconds {
    for result in store.writeAll(batchWork, force: true, date: date) where (try? result.get()) != .unchanged {
        fatalError("second write changed a sidecar: \(result)")
    }
}

let readSeconds = try seconds {
    for item in batchWork { guard try store.read(forImage: item.image) != nil else { fatalError("no sidecar") } }
}

let configURL = root.appendingPathComponent("sluice.config")
try Data(exiftoolConfig.utf8).write(to: configURL)
let exiftool = try StayOpenExiftool(config: configURL)
let exiftoolVersion = exiftool.execute(["-ver"])  // warm up: perl start-up and module loading are not timed
let stamp = date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
let peerCPUStart = childCPUSeconds(exiftool.process.processIdentifier)
var peerSeconds = seconds {
    for item in peerWork {
        exiftool.execute(exiftoolArguments(for: item.update, sidecar: SidecarStore.sidecarURL(forImage: item.image), date: stamp))
    }
}
peerSeconds.cpu = childCPUSeconds(exiftool.process.processIdentifier) - peerCPUStart
exiftool.close()

var mismatches = 0
for index in stride(from: 0, to: imageCount, by: 37) {
    let ours = try ownedFields(of: SidecarStore.sidecarURL(forImage: batchWork[index].image))
    let theirs = try ownedFields(of: SidecarStore.sidecarURL(forImage: peerWork[index].image))
    if ours != theirs { mismatches += 1; print("fields differ for image \(index):\n  ours:     \(ours)\n  exiftool: \(theirs)") }
}

func rate(_ timing: Timing) -> String {
    String(
        format: "%6.0f sidecars/s wall (%6.3f s), %6.0f per CPU-second (%6.3f s)",
        Double(imageCount) / timing.wall, timing.wall, Double(imageCount) / timing.cpu, timing.cpu)
}
print("bench-sidecar: \(imageCount) new sidecars in \(parent.path), \(tagCount) tags (20–40 per image), same fields on both sides")
print("  Sluice writeAll, rename only (no fsync, like exiftool)  \(rate(fastSeconds))")
print("  Sluice writeAll, flushed (one syncfs, folder once)      \(rate(batchSeconds))")
print("  Sluice write,    flushed (fsync file and folder each)   \(rate(singleSeconds))")
print("  Sluice writeAll again, same tags (nothing rewritten)    \(rate(rewriteSeconds))")
print("  Sluice read of the same sidecars                        \(rate(readSeconds))")
print("  exiftool \(exiftoolVersion) -stay_open True -@ - (warm, no fsync) \(rate(peerSeconds))")
print(String(
    format: "  wall-clock ratio vs exiftool: rename-only %.0fx (same durability), flushed batch %.0fx, flushed single %.0fx",
    peerSeconds.wall / fastSeconds.wall, peerSeconds.wall / batchSeconds.wall, peerSeconds.wall / singleSeconds.wall))
print(String(
    format: "  CPU-time ratio vs exiftool:   rename-only %.0fx, flushed batch %.0fx, flushed single %.0fx",
    peerSeconds.cpu / fastSeconds.cpu, peerSeconds.cpu / batchSeconds.cpu, peerSeconds.cpu / singleSeconds.cpu))
print("  fields read back by exiftool: \(mismatches == 0 ? "identical" : "\(mismatches) differ") on sampled sidecars")
