/// One entry's central directory record; the writer encodes it and the reader decodes it.
struct ZipCentralRecord: Equatable {
    var nameBytes: [UInt8]
    var versionMadeBy: UInt16 = ZipFormat.versionMadeBy
    var flags: UInt16 = ZipFormat.flagUTF8
    var method: UInt16
    var timestamp: DOSTimestamp
    var crc32: UInt32
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var localHeaderOffset: UInt64
    var externalAttributes: UInt32 = ZipFormat.regularFileAttributes

    /// Whether any field overflows its 32-bit slot and must move to a Zip64 extra field.
    var needsZip64: Bool {
        compressedSize >= ZipFormat.max32 || uncompressedSize >= ZipFormat.max32 || localHeaderOffset >= ZipFormat.max32
    }

    /// The record as written in the central directory; overflowing fields go to a Zip64 extra, in APPNOTE order.
    func encoded() -> [UInt8] {
        var extra = ByteWriter()
        if uncompressedSize >= ZipFormat.max32 { extra.u64(uncompressedSize) }
        if compressedSize >= ZipFormat.max32 { extra.u64(compressedSize) }
        if localHeaderOffset >= ZipFormat.max32 { extra.u64(localHeaderOffset) }
        var out = ByteWriter()
        out.bytes.reserveCapacity(ZipFormat.centralHeaderSize + nameBytes.count + 32)
        out.u32(ZipFormat.centralHeaderSignature)
        out.u16(versionMadeBy)
        out.u16(needsZip64 ? ZipFormat.versionNeededZip64 : ZipFormat.versionNeeded)
        out.u16(flags)
        out.u16(method)
        out.u16(timestamp.time)
        out.u16(timestamp.date)
        out.u32(crc32)
        out.u32(UInt32(min(compressedSize, ZipFormat.max32)))
        out.u32(UInt32(min(uncompressedSize, ZipFormat.max32)))
        out.u16(UInt16(nameBytes.count))
        out.u16(extra.bytes.isEmpty ? 0 : UInt16(4 + extra.bytes.count))
        out.u16(0)  // comment length
        out.u16(0)  // disk number start
        out.u16(0)  // internal attributes
        out.u32(externalAttributes)
        out.u32(UInt32(min(localHeaderOffset, ZipFormat.max32)))
        out.append(nameBytes)
        if !extra.bytes.isEmpty {
            out.u16(ZipFormat.zip64ExtraID)
            out.u16(UInt16(extra.bytes.count))
            out.append(extra.bytes)
        }
        return out.bytes
    }

    /// Decodes the record at `reader`'s position, resolving Zip64 fields; nil when the bytes do not form a record.
    static func decode(from reader: inout ByteReader) -> ZipCentralRecord? {
        guard reader.u32() == ZipFormat.centralHeaderSignature,
            let madeBy = reader.u16(), reader.u16() != nil,
            let flags = reader.u16(), let method = reader.u16(),
            let time = reader.u16(), let date = reader.u16(),
            let crc = reader.u32(), let compressed32 = reader.u32(), let uncompressed32 = reader.u32(),
            let nameLength = reader.u16(), let extraLength = reader.u16(), let commentLength = reader.u16(),
            reader.u16() != nil, reader.u16() != nil,
            let external = reader.u32(), let offset32 = reader.u32(),
            let name = reader.take(Int(nameLength)), let extra = reader.take(Int(extraLength)),
            reader.take(Int(commentLength)) != nil
        else { return nil }
        var record = ZipCentralRecord(
            nameBytes: Array(name), versionMadeBy: madeBy, flags: flags, method: method,
            timestamp: DOSTimestamp(date: date, time: time), crc32: crc,
            compressedSize: UInt64(compressed32), uncompressedSize: UInt64(uncompressed32),
            localHeaderOffset: UInt64(offset32), externalAttributes: external)
        guard record.applyZip64Extra(Array(extra)) else { return nil }
        return record
    }

    /// Replaces 0xFFFFFFFF fields with their 64-bit values from the extra field; false if the extra is malformed.
    private mutating func applyZip64Extra(_ extra: [UInt8]) -> Bool {
        var reader = ByteReader(extra)
        while reader.remaining >= 4 {
            guard let id = reader.u16(), let size = reader.u16(), let body = reader.take(Int(size)) else { return false }
            guard id == ZipFormat.zip64ExtraID else { continue }
            var fields = ByteReader(Array(body))
            if uncompressedSize == ZipFormat.max32 {
                guard let value = fields.u64() else { return false }
                uncompressedSize = value
            }
            if compressedSize == ZipFormat.max32 {
                guard let value = fields.u64() else { return false }
                compressedSize = value
            }
            if localHeaderOffset == ZipFormat.max32 {
                guard let value = fields.u64() else { return false }
                localHeaderOffset = value
            }
        }
        return true
    }
}
