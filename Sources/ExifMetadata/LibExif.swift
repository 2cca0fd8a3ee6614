import CExif

/// The only place that touches libexif's C pointers: loads one raw EXIF block and copies out the facts.
enum LibExif {
    /// The facts in `block` (which starts with `Exif\0\0`), or nil when libexif finds no entry at all.
    static func facts(fromBlock block: [UInt8]) -> ExifFacts? {
        guard !block.isEmpty, block.count <= Int(UInt32.max), let data = exif_data_new() else { return nil }
        defer { exif_data_unref(data) }
        // Loading with FOLLOW_SPECIFICATION would invent mandatory entries (exif_data_fix); we want only what is there.
        exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
        block.withUnsafeBufferPointer { buffer in
            exif_data_load_data(data, buffer.baseAddress, UInt32(buffer.count))
        }
        let entryCount = [EXIF_IFD_0, EXIF_IFD_1, EXIF_IFD_EXIF, EXIF_IFD_GPS, EXIF_IFD_INTEROPERABILITY]
            .reduce(0) { $0 + Int(cexif_content_count(data, $1)) }
        guard entryCount > 0 else { return nil }

        let reader = EntryReader(data: data, order: exif_data_get_byte_order(data))
        let orientation = reader.integer(EXIF_TAG_ORIENTATION, in: EXIF_IFD_0).flatMap { (1...8).contains($0) ? $0 : nil }
        let dateText =
            reader.text(EXIF_TAG_DATE_TIME_ORIGINAL, in: EXIF_IFD_EXIF)
            ?? reader.text(EXIF_TAG_DATE_TIME_DIGITIZED, in: EXIF_IFD_EXIF)
            ?? reader.text(EXIF_TAG_DATE_TIME, in: EXIF_IFD_0)
        return ExifFacts(
            orientation: orientation ?? 1,
            captureDate: dateText.flatMap(CaptureDate.init(exifText:)),
            make: reader.text(EXIF_TAG_MAKE, in: EXIF_IFD_0),
            model: reader.text(EXIF_TAG_MODEL, in: EXIF_IFD_0),
            pixelWidth: reader.integer(EXIF_TAG_PIXEL_X_DIMENSION, in: EXIF_IFD_EXIF),
            pixelHeight: reader.integer(EXIF_TAG_PIXEL_Y_DIMENSION, in: EXIF_IFD_EXIF),
            hasExif: true)
    }
}

/// Reads typed values out of entries, checking format and size first so a lying entry yields nil.
private struct EntryReader {
    let data: UnsafeMutablePointer<ExifData>
    let order: ExifByteOrder

    /// A SHORT or LONG value, or nil when the entry is missing or malformed.
    func integer(_ tag: ExifTag, in ifd: ExifIfd) -> Int? {
        guard let entry = cexif_content_entry(data, ifd, tag), let bytes = entry.pointee.data,
            entry.pointee.components >= 1
        else { return nil }
        let size = Int(entry.pointee.size)
        switch entry.pointee.format {
        case EXIF_FORMAT_SHORT where size >= 2: return Int(exif_get_short(bytes, order))
        case EXIF_FORMAT_LONG where size >= 4: return Int(exif_get_long(bytes, order))
        default: return nil
        }
    }

    /// An ASCII value up to its first NUL, trimmed; nil when missing, malformed or blank.
    func text(_ tag: ExifTag, in ifd: ExifIfd) -> String? {
        guard let entry = cexif_content_entry(data, ifd, tag), let bytes = entry.pointee.data,
            entry.pointee.format == EXIF_FORMAT_ASCII || entry.pointee.format == EXIF_FORMAT_UNDEFINED
        else { return nil }
        let buffer = UnsafeBufferPointer(start: bytes, count: Int(entry.pointee.size))
        let content = buffer.prefix(while: { $0 != 0 })
        let trimmed = String(decoding: content, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
