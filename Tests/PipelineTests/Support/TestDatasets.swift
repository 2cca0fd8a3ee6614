import CZlib
import Foundation

/// Small real datasets for the tests: PNG images with booru-style captions (underscores, duplicates, meta tags).
enum TestDatasets {
    static let characters = ["mika_(blue_archive)", "hatsune_miku", "saber_(fate)", "rem_(re:zero)"]

    /// `images` PNGs named img_000.png… with captions, in a fresh folder named `name` under `parent`.
    static func booru(named name: String, images: Int, in parent: URL) throws -> URL {
        let folder = parent.appendingPathComponent("\(name)-src-\(UUID().uuidString.prefix(6))").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<images {
            let stem = String(format: "img_%03d", index)
            try png(width: 64 + index, height: 48, seed: index).write(to: folder.appendingPathComponent(stem + ".png"))
            let character = characters[index % characters.count]
            let caption = "1girl, \(character), highres, solo, long_hair, 1girl, absurdres, smile, blue_eyes"
            try caption.write(to: folder.appendingPathComponent(stem + ".txt"), atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// Many tiny distinct images with short captions.
    static func many(named name: String, images: Int, in parent: URL) throws -> URL {
        let folder = parent.appendingPathComponent("\(name)-src-\(UUID().uuidString.prefix(6))").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<images {
            let stem = String(format: "img_%05d", index)
            try png(width: 8, height: 8, seed: index).write(to: folder.appendingPathComponent(stem + ".png"))
            try "1girl, solo, tag_\(index % 50)".write(to: folder.appendingPathComponent(stem + ".txt"), atomically: false, encoding: .utf8)
        }
        return folder
    }

    /// An RGB PNG whose pixels depend on `seed`, so every image has different bytes.
    static func png(width: Int, height: Int, seed: Int) -> Data {
        var raw = [UInt8]()
        for y in 0..<height {
            raw.append(0)
            for x in 0..<width {
                raw += [UInt8((x * 4 + seed) & 0xFF), UInt8((y * 5 + seed / 256) & 0xFF), UInt8((x ^ y ^ seed) & 0xFF)]
            }
        }
        var compressedLength = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        _ = compress(&compressed, &compressedLength, raw, uLong(raw.count))
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func chunk(_ type: String, _ body: [UInt8]) {
            var length = UInt32(body.count).bigEndian
            png.append(Data(bytes: &length, count: 4))
            let typed = Array(type.utf8) + body
            png.append(contentsOf: typed)
            var crc = UInt32(crc32(0, typed, uInt(typed.count))).bigEndian
            png.append(Data(bytes: &crc, count: 4))
        }
        var header = [UInt8]()
        for value in [UInt32(width), UInt32(height)] { header += withUnsafeBytes(of: value.bigEndian, Array.init) }
        header += [8, 2, 0, 0, 0]
        chunk("IHDR", header)
        chunk("IDAT", Array(compressed[0..<Int(compressedLength)]))
        chunk("IEND", [])
        return png
    }
}
