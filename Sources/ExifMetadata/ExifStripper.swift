import CExif
import Foundation
import Glibc

/// Removes location and camera-identifying EXIF from an image's bytes (GPS, make, model, serial numbers, lens,
/// owner, maker notes) while keeping orientation, dates and dimensions, for the copies uploaded to an auto-tagger.
public enum ExifStripper {
    /// Tags that identify the camera or its owner, removed from every IFD.
    static let cameraTags: [UInt32] = [
        0x010F,  // Make
        0x0110,  // Model
        0x927C,  // MakerNote
        0xA430,  // CameraOwnerName
        0xA431,  // BodySerialNumber
        0xA432,  // LensSpecification
        0xA433,  // LensMake
        0xA434,  // LensModel
        0xA435,  // LensSerialNumber
    ]

    /// The stripped image, or nil when there was nothing to remove (the original bytes can be used as they are).
    /// - Throws: `ExifError` naming `path` when the container or its EXIF block is damaged.
    public static func stripped(_ data: Data, path: String) throws(ExifError) -> Data? {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xD8]) { return try strippedJPEG(bytes, path: path) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return try strippedPNG(bytes, path: path) }
        return nil
    }

    /// Rewrites the APP1 EXIF segment through libexif without the GPS IFD and the camera tags.
    private static func strippedJPEG(_ bytes: [UInt8], path: String) throws(ExifError) -> Data? {
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xDA || marker == 0xD9 { return nil }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else {
                throw .malformedContainer(path: path, detail: "JPEG segment at byte \(offset) runs past the end of the file")
            }
            let payload = Array(bytes[(offset + 4)..<(offset + 2 + length)])
            if marker == 0xE1, payload.starts(with: Array("Exif".utf8) + [0, 0]) {
                guard let cleaned = try cleanedBlock(payload, path: path) else { return nil }
                guard cleaned.count + 2 <= 0xFFFF else { return nil }
                var output = Array(bytes[..<offset])
                output += [0xFF, 0xE1, UInt8((cleaned.count + 2) >> 8), UInt8((cleaned.count + 2) & 0xFF)]
                output += cleaned
                output += bytes[(offset + 2 + length)...]
                return Data(output)
            }
            offset += 2 + length
        }
        return nil
    }

    /// A PNG's `eXIf` chunk is dropped whole: PNG viewers rarely honour its orientation anyway.
    private static func strippedPNG(_ bytes: [UInt8], path: String) throws(ExifError) -> Data? {
        var offset = 8
        var output = Array(bytes[..<8])
        var removed = false
        while offset + 12 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let end = offset + 12 + length
            guard end <= bytes.count else {
                throw .malformedContainer(path: path, detail: "PNG chunk at byte \(offset) runs past the end of the file")
            }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            if type == "eXIf" { removed = true } else { output += bytes[offset..<end] }
            offset = end
        }
        output += bytes[offset...]
        return removed ? Data(output) : nil
    }

    /// The EXIF block without GPS and camera tags, or nil when it held none of them.
    private static func cleanedBlock(_ block: [UInt8], path: String) throws(ExifError) -> [UInt8]? {
        guard let data = block.withUnsafeBufferPointer({ exif_data_new_from_data($0.baseAddress, UInt32($0.count)) }) else {
            throw .unreadableExif(path: path)
        }
        defer { exif_data_unref(data) }
        var changed = false
        if let gps = cexif_data_ifd(data, EXIF_IFD_GPS) {
            while gps.pointee.count > 0, let entry = gps.pointee.entries[0] {
                exif_content_remove_entry(gps, entry)
                changed = true
            }
        }
        for ifd in 0..<Int(EXIF_IFD_COUNT.rawValue) {
            for tag in cameraTags {
                let ifdValue = ExifIfd(rawValue: UInt32(ifd))
                if let entry = cexif_content_entry(data, ifdValue, ExifTag(rawValue: tag)), let content = cexif_data_ifd(data, ifdValue) {
                    exif_content_remove_entry(content, entry)
                    changed = true
                }
            }
        }
        guard changed else { return nil }
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt32 = 0
        exif_data_save_data(data, &buffer, &size)
        guard let buffer, size > 0 else { throw .unreadableExif(path: path) }
        defer { free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }
}
