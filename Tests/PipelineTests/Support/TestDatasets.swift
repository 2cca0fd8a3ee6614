import Foundation
import Imaging

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

    /// A PNG whose pixels depend on `seed`, so every image has different bytes.
    static func png(width: Int, height: Int, seed: Int) throws -> Data {
        Data(try ImageEncoder.encode(PixelImage.pattern(width: width, height: height, seed: UInt64(seed)), as: .png))
    }
}
