import Foundation
import Imaging
import ReviewScreen
import TerminalUI

// Key press → next image fully drawn, per thumbnail mode: decode at reduced scale, resize, encode, write.
// Cold (the image was not prepared ahead) and warm (prefetched while the previous one was shown), beside chafa
// rendering the same file into the same cell box (a process per image, as a user's preview script runs it).

let columns = 54, rows = 37
let size = TerminalSize(columns: columns, rows: rows, cellWidth: 10, cellHeight: 20)
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-review-\(getpid())", isDirectory: true)
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

/// A photo-like test picture (gradients plus noise, so encoders cannot cheat).
func picture(width: Int, height: Int) -> PixelImage {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    var seed: UInt32 = 12345
    for y in 0..<height {
        for x in 0..<width {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            let noise = Int(seed >> 28)
            let base = (y * width + x) * 3
            pixels[base] = UInt8(truncatingIfNeeded: x * 255 / width + noise)
            pixels[base + 1] = UInt8(truncatingIfNeeded: y * 255 / height + noise)
            pixels[base + 2] = UInt8(truncatingIfNeeded: (x ^ y) & 0xFF)
        }
    }
    return PixelImage(width: width, height: height, layout: .rgb, pixels: pixels)
}

let inputs: [(String, String, PixelImage, ImageFormat)] = [
    ("4000x3000 JPEG", "photo.jpg", picture(width: 4000, height: 3000), .jpeg),
    ("2000x2000 PNG", "square.png", picture(width: 2000, height: 2000), .png),
    ("3000x2000 WebP", "wide.webp", picture(width: 3000, height: 2000), .webp),
]
for (_, file, image, format) in inputs {
    try ImageEncoder.write(image, as: format, quality: 90, to: folder.appendingPathComponent(file).path)
}

let null = FileHandle(forWritingAtPath: "/dev/null")!
func milliseconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

let chafaFormats: [ThumbnailMode: String] = [.kitty: "kitty", .iterm: "iterm", .sixel: "sixels", .blocks: "symbols"]
let chafaPath = ["/usr/bin/chafa", "/usr/local/bin/chafa"].first { FileManager.default.isExecutableFile(atPath: $0) }
let repeats = 5

print("bench-review: key press -> next image drawn, \(columns)x\(rows) cells (10x20 px), median of \(repeats) (ms)")
print("image            mode    sluice cold  sluice warm  chafa   bytes")
for (label, file, _, _) in inputs {
    let path = folder.appendingPathComponent(file).path
    for mode in [ThumbnailMode.kitty, .iterm, .sixel, .blocks] {
        var cold: [Double] = [], warm: [Double] = [], peer: [Double] = []
        var bytes = 0
        for _ in 0..<repeats {
            let cache = ThumbnailCache()
            let key = ThumbnailCache.key(path: path, mode: mode, columns: columns, rows: rows, size: size)
            cold.append(milliseconds {
                if case .success(let thumbnail) = cache.thumbnail(key) {
                    let text = thumbnail.mode == .blocks ? thumbnail.lines.joined(separator: "\r\n") : thumbnail.payload
                    bytes = text.utf8.count
                    null.write(Data(text.utf8))
                }
            })
            warm.append(milliseconds {
                if case .success(let thumbnail) = cache.thumbnail(key) {
                    let text = thumbnail.mode == .blocks ? thumbnail.lines.joined(separator: "\r\n") : thumbnail.payload
                    null.write(Data(text.utf8))
                }
            })
            if let chafaPath, let format = chafaFormats[mode] {
                peer.append(milliseconds {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: chafaPath)
                    process.arguments = ["-f", format, "--size", "\(columns)x\(rows)", "--animate", "off", path]
                    process.standardOutput = null
                    process.standardError = null
                    try? process.run()
                    while process.isRunning { usleep(200) }
                })
            }
        }
        let chafa = peer.isEmpty ? "   n/a" : String(format: "%6.1f", median(peer))
        print(label.padding(toLength: 17, withPad: " ", startingAt: 0) + mode.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            + String(format: "%11.1f  %11.2f  ", median(cold), median(warm)) + chafa + "  \(bytes)")
    }
}

// Where a cold thumbnail's time goes, per stage (header, reduced decode, resize, encode), for the first repeat's
// inputs: the figures that say which stage to work on next.
print("\ncold path by stage (ms, median of \(repeats)): header  decode(size)  resize  encode")
for (label, file, _, _) in inputs {
    let path = folder.appendingPathComponent(file).path
    for mode in [ThumbnailMode.kitty, .iterm, .sixel, .blocks] {
        var header = [Double](), decode = [Double](), resize = [Double](), encode = [Double]()
        var decodedSize = ""
        for _ in 0..<repeats {
            var facts: ImageHeader?
            header.append(milliseconds { facts = try? ImageHeader.read(path: path) })
            guard let facts else { continue }
            let box = Thumbnail.fit(
                imageWidth: facts.width, imageHeight: facts.height, columns: columns, rows: rows, mode: mode, size: size)
            var image: PixelImage?
            decode.append(milliseconds {
                image = try? ImageDecoder.decode(path: path, layout: .rgb, minimumSide: facts.width <= facts.height ? box.width : box.height)
            })
            guard let image else { continue }
            decodedSize = "\(image.width)x\(image.height)"
            var small: PixelImage?
            resize.append(milliseconds { small = image.resized(width: box.width, height: box.height) })
            encode.append(milliseconds { _ = try? Thumbnail.make(small!, mode: mode, columns: columns, rows: rows, size: size) })
        }
        guard !encode.isEmpty else { continue }
        print(label.padding(toLength: 17, withPad: " ", startingAt: 0) + mode.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            + String(format: "%6.1f  %6.1f (%@)  %6.1f  %6.1f", median(header), median(decode), decodedSize, median(resize), median(encode)))
    }
}
