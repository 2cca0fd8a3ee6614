import CZlib

/// zlib's CRC-32, raw deflate and raw inflate behind a safe API; the only file here that touches zlib's pointers.
enum Zlib {
    /// Continues a CRC-32 over `bytes` with zlib's table-driven implementation.
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return UInt32(truncatingIfNeeded: crc32_z(UInt(crc), base.assumingMemoryBound(to: Bytef.self), bytes.count))
    }

    /// The CRC-32 of a whole byte array.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { crc32(0, $0) }
    }

    /// Compresses a whole buffer to raw deflate data in one call (captions and other small entries).
    static func deflate(_ input: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8] {
        let deflater = Deflater(level: level)
        var output: [UInt8] = []
        output.reserveCapacity(Int(deflateBound(nil, UInt(input.count))) + 16)
        deflater.compress(input, finish: true) { output.append(contentsOf: $0) }
        return output
    }
}

/// A raw deflate stream; the z_stream lives on the heap because zlib checks it never moves.
final class Deflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch: UnsafeMutableRawBufferPointer

    init(level: Int32 = 6, scratchSize: Int = 256 << 10) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = .allocate(byteCount: scratchSize, alignment: 16)
        let status = sluice_deflate_init_raw(stream, level)
        precondition(status == Z_OK, "deflateInit2 failed (\(status)): out of memory")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Compresses `input`, handing each produced chunk to `emit`; `finish` ends the stream.
    func compress<E: Error>(
        _ input: UnsafeRawBufferPointer, finish: Bool, emit: (UnsafeRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        let flush = finish ? Z_FINISH : Z_NO_FLUSH
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        let capacity = scratch.count
        while true {
            stream.pointee.next_out = scratch.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(capacity)
            let status = CZlib.deflate(stream, flush)
            let produced = capacity - Int(stream.pointee.avail_out)
            if produced > 0 {
                try emit(UnsafeRawBufferPointer(rebasing: scratch[0..<produced]))
            }
            if status == Z_STREAM_END { return }
            precondition(status == Z_OK || status == Z_BUF_ERROR, "deflate failed (\(status))")
            if !finish && stream.pointee.avail_in == 0 && produced < capacity { return }
        }
    }
}

/// A raw inflate stream for one zip entry.
final class Inflater {
    enum Progress: Equatable {
        /// All input was consumed and the stream wants more.
        case needsInput
        /// The deflate stream ended; any input after it is not part of the entry.
        case ended
        /// The data is not valid deflate data.
        case invalid(String)
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch: UnsafeMutableRawBufferPointer

    init(scratchSize: Int = 256 << 10) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = .allocate(byteCount: scratchSize, alignment: 16)
        let status = sluice_inflate_init_raw(stream)
        precondition(status == Z_OK, "inflateInit2 failed (\(status)): out of memory")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Feeds `input` to the stream, handing each inflated chunk to `emit` as soon as it is produced.
    func inflate<E: Error>(
        _ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws(E) -> Void
    ) throws(E) -> Progress {
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        let capacity = scratch.count
        while true {
            stream.pointee.next_out = scratch.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(capacity)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            let produced = capacity - Int(stream.pointee.avail_out)
            if produced > 0 {
                try emit(UnsafeRawBufferPointer(rebasing: scratch[0..<produced]))
            }
            switch status {
            case Z_STREAM_END:
                return .ended
            case Z_OK:
                if stream.pointee.avail_in == 0 && produced < capacity { return .needsInput }
            case Z_BUF_ERROR:
                if stream.pointee.avail_in == 0 { return .needsInput }
                return .invalid("inflate made no progress")
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                return .invalid(message)
            }
        }
    }
}
