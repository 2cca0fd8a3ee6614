import CImageCodecs
import Glibc

/// libturbojpeg, libpng (simplified API) and libwebp behind a safe API; the only file in Imaging that touches C pointers.
enum Codecs {
    // MARK: - Files

    /// Reads a whole file into memory.
    static func readFile(_ path: String) throws(ImagingError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(file: path, detail: String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let got = read(fd, buffer.baseAddress! + done, size - done)
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if got == 0 { break }
                done += got
            }
            initialized = done
        }
        if failure != 0 { throw .unreadable(file: path, detail: String(cString: strerror(failure))) }
        return bytes
    }

    /// Writes `bytes` to `path` (created or truncated).
    static func writeFile(_ bytes: [UInt8], to path: String) throws(ImagingError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unreadable(file: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .unreadable(file: path, detail: String(cString: strerror(errno)))
            }
            done += written
        }
    }

    // MARK: - JPEG (libturbojpeg)

    /// Decodes a JPEG, shrinking on load by the largest DCT scaling factor that keeps both sides ≥ `minimumSide`.
    static func decodeJPEG(_ data: [UInt8], source: String, layout: PixelLayout, minimumSide: Int?) throws(ImagingError)
        -> PixelImage
    {
        guard let handle = tjInitDecompress() else { throw .corrupt(file: source, detail: "turbojpeg init failed") }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let headerStatus = data.withUnsafeBufferPointer {
            tjDecompressHeader3(handle, $0.baseAddress, UInt($0.count), &width, &height, &subsampling, &colorspace)
        }
        guard headerStatus == 0, width > 0, height > 0 else {
            throw .corrupt(file: source, detail: String(cString: tjGetErrorStr2(handle)))
        }
        var scaledWidth = Int(width), scaledHeight = Int(height)
        if let minimumSide {
            var count: Int32 = 0
            if let factors = tjGetScalingFactors(&count) {
                for index in 0..<Int(count) {
                    let factor = factors[index]
                    let w = (Int(width) * Int(factor.num) + Int(factor.denom) - 1) / Int(factor.denom)
                    let h = (Int(height) * Int(factor.num) + Int(factor.denom) - 1) / Int(factor.denom)
                    if w >= min(minimumSide, Int(width)), h >= min(minimumSide, Int(height)), w * h < scaledWidth * scaledHeight {
                        scaledWidth = w
                        scaledHeight = h
                    }
                }
            }
        }
        let pixelFormat: TJPF
        switch layout {
        case .gray: pixelFormat = TJPF_GRAY
        case .rgb: pixelFormat = TJPF_RGB
        case .rgba: pixelFormat = TJPF_RGBA
        }
        let flags = minimumSide == nil ? 0 : TJFLAG_FASTDCT
        var pixels = [UInt8](repeating: 0, count: scaledWidth * scaledHeight * layout.channels)
        let status = data.withUnsafeBufferPointer { input in
            pixels.withUnsafeMutableBufferPointer { output in
                tjDecompress2(
                    handle, input.baseAddress, UInt(input.count), output.baseAddress, Int32(scaledWidth), 0,
                    Int32(scaledHeight), Int32(pixelFormat.rawValue), flags)
            }
        }
        if status != 0 {
            let message = String(cString: tjGetErrorStr2(handle))
            // Warnings (such as stray bytes before a marker) still leave a complete image; a cut-off file does not.
            if tjGetErrorCode(handle) != TJERR_WARNING.rawValue || message.contains("Premature end") {
                throw .corrupt(file: source, detail: message)
            }
        }
        return PixelImage(width: scaledWidth, height: scaledHeight, layout: layout, pixels: pixels)
    }

    static func encodeJPEG(_ image: PixelImage, quality: Int) throws(ImagingError) -> [UInt8] {
        guard let handle = tjInitCompress() else { throw .encodingFailed(format: .jpeg, detail: "turbojpeg init failed") }
        defer { tjDestroy(handle) }
        let pixelFormat: TJPF
        let subsampling: TJSAMP
        switch image.layout {
        case .gray: (pixelFormat, subsampling) = (TJPF_GRAY, TJSAMP_GRAY)
        case .rgb: (pixelFormat, subsampling) = (TJPF_RGB, TJSAMP_420)
        case .rgba: (pixelFormat, subsampling) = (TJPF_RGBA, TJSAMP_420)
        }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = image.pixels.withUnsafeBufferPointer {
            tjCompress2(
                handle, $0.baseAddress, Int32(image.width), 0, Int32(image.height), Int32(pixelFormat.rawValue), &output,
                &size, Int32(subsampling.rawValue), Int32(min(max(quality, 1), 100)), 0)
        }
        defer { if let output { tjFree(output) } }
        guard status == 0, let output else {
            throw .encodingFailed(format: .jpeg, detail: String(cString: tjGetErrorStr2(handle)))
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    // MARK: - PNG (libpng simplified API: no setjmp needed)

    static func decodePNG(_ data: [UInt8], source: String, layout: PixelLayout, minimumSide: Int? = nil) throws(ImagingError)
        -> PixelImage
    {
        if layout == .gray, let image = try decodePNGLuma(data, source: source, minimumSide: minimumSide) { return image }
        if layout == .rgb, let minimumSide, let image = try decodePNGShrunk(data, source: source, minimumSide: minimumSide) {
            return image
        }
        var image = sluice_png_image()
        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw .corrupt(file: source, detail: message(of: &image)) }
        let isColor = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        // Color is decoded as RGB and turned into luma here, the same formula for every format.
        let decodeLayout: PixelLayout = layout == .gray && isColor ? .rgb : layout
        switch decodeLayout {
        case .gray: image.format = UInt32(PNG_FORMAT_GRAY)
        case .rgb: image.format = UInt32(PNG_FORMAT_RGB)
        case .rgba: image.format = UInt32(PNG_FORMAT_RGB | PNG_FORMAT_FLAG_ALPHA)
        }
        let width = Int(image.width), height = Int(image.height)
        guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16 else {
            png_image_free(&image)
            throw .corrupt(file: source, detail: "impossible dimensions \(width)x\(height)")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * decodeLayout.channels)
        let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else {
            let detail = message(of: &image)
            png_image_free(&image)
            throw .corrupt(file: source, detail: detail)
        }
        let decoded = PixelImage(width: width, height: height, layout: decodeLayout, pixels: pixels)
        return decodeLayout == layout ? decoded : decoded.grayscale()
    }

    /// Encodes a PNG; `fast` (the default) trades size for speed, since PNGs written here are test data and examples.
    static func encodePNG(_ image: PixelImage, fast: Bool = true) throws(ImagingError) -> [UInt8] {
        var header = sluice_png_image()
        if fast { header.flags = UInt32(PNG_IMAGE_FLAG_FAST) }
        header.width = UInt32(image.width)
        header.height = UInt32(image.height)
        switch image.layout {
        case .gray: header.format = UInt32(PNG_FORMAT_GRAY)
        case .rgb: header.format = UInt32(PNG_FORMAT_RGB)
        case .rgba: header.format = UInt32(PNG_FORMAT_RGB | PNG_FORMAT_FLAG_ALPHA)
        }
        var size = 0
        let sized = image.pixels.withUnsafeBytes { png_image_write_to_memory(&header, nil, &size, 0, $0.baseAddress, 0, nil) }
        guard sized != 0, size > 0 else { throw .encodingFailed(format: .png, detail: message(of: &header)) }
        var output = [UInt8](repeating: 0, count: size)
        let written = image.pixels.withUnsafeBytes { pixels in
            output.withUnsafeMutableBytes { png_image_write_to_memory(&header, $0.baseAddress, &size, 0, pixels.baseAddress, 0, nil) }
        }
        guard written != 0 else { throw .encodingFailed(format: .png, detail: message(of: &header)) }
        return Array(output.prefix(size))
    }

    /// Encodes an 8-bit PNG for a terminal thumbnail: every row Up-filtered and one libdeflate level-1 stream,
    /// several times faster than libpng (which also runs twice, once to size the output) at a similar size.
    static func encodeQuickPNG(_ image: PixelImage) throws(ImagingError) -> [UInt8] {
        let channels = image.layout.channels, rowBytes = image.width * channels
        var filtered = [UInt8](repeating: 0, count: image.height * (rowBytes + 1))
        image.pixels.withUnsafeBufferPointer { source in
            filtered.withUnsafeMutableBufferPointer { target in
                for y in 0..<image.height {
                    let row = source.baseAddress! + y * rowBytes, out = target.baseAddress! + y * (rowBytes + 1)
                    out[0] = 2  // Up: each byte minus the one above it.
                    if y == 0 {
                        (out + 1).update(from: row, count: rowBytes)
                    } else {
                        let up = row - rowBytes
                        for i in 0..<rowBytes { out[1 + i] = row[i] &- up[i] }
                    }
                }
            }
        }
        let colorType: UInt8 = image.layout == .gray ? 0 : image.layout == .rgb ? 2 : 6
        return try assemblePNG(width: image.width, height: image.height, depth: 8, colorType: colorType, filtered: filtered)
    }

    /// A PNG file around already filtered image data (every row's filter byte and bytes, pass after pass when
    /// `interlaced`), compressed by libdeflate at level 1; `palette` (RGB triples) becomes a PLTE chunk.
    static func assemblePNG(
        width: Int, height: Int, depth: UInt8, colorType: UInt8, interlaced: Bool = false, palette: [UInt8] = [],
        filtered: [UInt8]
    ) throws(ImagingError) -> [UInt8] {
        guard let compressor = libdeflate_alloc_compressor(1) else {
            throw .encodingFailed(format: .png, detail: "libdeflate compressor allocation failed")
        }
        defer { libdeflate_free_compressor(compressor) }
        var stream = [UInt8](repeating: 0, count: libdeflate_zlib_compress_bound(compressor, filtered.count))
        let streamSize = filtered.withUnsafeBytes { input in
            stream.withUnsafeMutableBytes { libdeflate_zlib_compress(compressor, input.baseAddress, input.count, $0.baseAddress, $0.count) }
        }
        guard streamSize > 0 else { throw .encodingFailed(format: .png, detail: "libdeflate found no room for the stream") }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.reserveCapacity(streamSize + palette.count + 64)
        func chunk(_ type: String, _ body: ArraySlice<UInt8>) {
            let start = png.count + 4
            png += bigEndian(UInt32(body.count))
            png += Array(type.utf8)
            png += body
            let crc = png[start...].withUnsafeBytes { libdeflate_crc32(0, $0.baseAddress, $0.count) }
            png += bigEndian(crc)
        }
        let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [depth, colorType, 0, 0, interlaced ? 1 : 0]
        chunk("IHDR", ArraySlice(header))
        if !palette.isEmpty { chunk("PLTE", ArraySlice(palette)) }
        chunk("IDAT", stream[0..<streamSize])
        chunk("IEND", [])
        return png
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    /// Luma straight from any PNG, area-averaged until its shorter side is `minimumSide`: libdeflate
    /// inflates the image data two to three times faster than zlib, and each row is unfiltered and folded into the
    /// small output at once (no full-size image). Nil when the data does not inflate to exactly the image's size
    /// (libpng, which tolerates some of that, then decides).
    static func decodePNGLuma(_ data: [UInt8], source: String, minimumSide: Int? = nil) throws(ImagingError) -> PixelImage? {
        let layout = try PNGChunks(data, source: source)
        guard var raw = inflatePNG(layout) else { return nil }
        let size = LumaAreaAverager.size(width: layout.width, height: layout.height, minimumSide: minimumSide ?? Int.max)
        return try PNGScanlines.luma(raw: &raw, layout: layout, size: size, source: source)
    }

    /// RGB from an 8-bit gray or RGB PNG shrunk while unfiltering by the largest integer factor (up to 8) that keeps
    /// both sides ≥ `minimumSide`; nil when no shrinking is possible or the PNG is of another kind (libpng decodes it).
    static func decodePNGShrunk(_ data: [UInt8], source: String, minimumSide: Int) throws(ImagingError) -> PixelImage? {
        let layout = try PNGChunks(data, source: source)
        guard layout.isPlain8BitGrayOrRGB else { return nil }
        let factor = min(8, min(layout.width, layout.height) / max(minimumSide, 1))
        guard factor > 1, var raw = inflatePNG(layout) else { return nil }
        return try PNGScanlines.shrunkRGB(raw: &raw, layout: layout, factor: factor, source: source)
    }

    /// The filtered rows of a PNG whose chunks were read, inflated by libdeflate; nil unless the data inflates to
    /// exactly the size the header implies.
    private static func inflatePNG(_ layout: PNGChunks) -> [UInt8]? {
        let count = layout.inflatedCount
        // Not zeroed first: on success libdeflate has written every byte, and on failure the bytes are dropped.
        var raw = [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let result = layout.compressed.withUnsafeBytes { input in
            raw.withUnsafeMutableBytes { output -> libdeflate_result in
                guard let decompressor = libdeflate_alloc_decompressor() else { return LIBDEFLATE_INSUFFICIENT_SPACE }
                defer { libdeflate_free_decompressor(decompressor) }
                return libdeflate_zlib_decompress(decompressor, input.baseAddress, input.count, output.baseAddress, count, nil)
            }
        }
        return result == LIBDEFLATE_SUCCESS ? raw : nil
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    // MARK: - WebP (libwebp)

    /// Decodes a WebP; with `minimumSide`, libwebp's rescaler shrinks it while decoding.
    static func decodeWebP(_ data: [UInt8], source: String, layout: PixelLayout, minimumSide: Int?) throws(ImagingError)
        -> PixelImage
    {
        var config = WebPDecoderConfig()
        guard sluice_webp_init_decoder_config(&config) != 0 else {
            throw .corrupt(file: source, detail: "libwebp version mismatch")
        }
        let gotFeatures = data.withUnsafeBufferPointer { sluice_webp_get_features($0.baseAddress, $0.count, &config.input) }
        guard gotFeatures != 0, config.input.width > 0, config.input.height > 0 else {
            throw .corrupt(file: source, detail: "unreadable WebP bitstream")
        }
        var width = Int(config.input.width), height = Int(config.input.height)
        if let minimumSide, min(width, height) > minimumSide {
            (width, height) = LumaAreaAverager.size(width: width, height: height, minimumSide: minimumSide)
            config.options.use_scaling = 1
            config.options.scaled_width = Int32(width)
            config.options.scaled_height = Int32(height)
        }
        if minimumSide != nil {
            // Shrunk output is for analysis (hashes): skipping the in-loop deblocking filter saves a third of the work.
            config.options.bypass_filtering = 1
        }
        if layout == .gray {
            return try decodeWebPLuma(data, source: source, config: &config, width: width, height: height)
        }
        config.output.colorspace = layout == .rgba ? MODE_RGBA : MODE_RGB
        config.output.is_external_memory = 1
        var pixels = [UInt8](repeating: 0, count: width * height * layout.channels)
        let status = data.withUnsafeBufferPointer { input in
            pixels.withUnsafeMutableBufferPointer { output in
                config.output.u.RGBA.rgba = output.baseAddress
                config.output.u.RGBA.stride = Int32(width * layout.channels)
                config.output.u.RGBA.size = output.count
                return WebPDecode(input.baseAddress, input.count, &config)
            }
        }
        WebPFreeDecBuffer(&config.output)
        guard status == VP8_STATUS_OK else {
            throw .corrupt(file: source, detail: "WebP decoding failed (status \(status.rawValue))")
        }
        let rgbLayout: PixelLayout = layout == .rgba ? .rgba : .rgb
        return PixelImage(width: width, height: height, layout: rgbLayout, pixels: pixels)
    }

    /// Decodes only what luma needs: libwebp's Y plane, stretched from video range (16–235) to full range.
    private static func decodeWebPLuma(
        _ data: [UInt8], source: String, config: inout WebPDecoderConfig, width: Int, height: Int
    ) throws(ImagingError) -> PixelImage {
        config.output.colorspace = MODE_YUV
        config.output.is_external_memory = 1
        let chromaWidth = (width + 1) / 2, chromaSize = chromaWidth * ((height + 1) / 2)
        var luma = [UInt8](repeating: 0, count: width * height)
        var chroma = [UInt8](repeating: 0, count: chromaSize * 2)
        let status = data.withUnsafeBufferPointer { input in
            luma.withUnsafeMutableBufferPointer { y in
                chroma.withUnsafeMutableBufferPointer { uv in
                    config.output.u.YUVA.y = y.baseAddress
                    config.output.u.YUVA.y_stride = Int32(width)
                    config.output.u.YUVA.y_size = y.count
                    config.output.u.YUVA.u = uv.baseAddress
                    config.output.u.YUVA.v = uv.baseAddress! + chromaSize
                    config.output.u.YUVA.u_stride = Int32(chromaWidth)
                    config.output.u.YUVA.v_stride = Int32(chromaWidth)
                    config.output.u.YUVA.u_size = chromaSize
                    config.output.u.YUVA.v_size = chromaSize
                    return WebPDecode(input.baseAddress, input.count, &config)
                }
            }
        }
        WebPFreeDecBuffer(&config.output)
        guard status == VP8_STATUS_OK else {
            throw .corrupt(file: source, detail: "WebP decoding failed (status \(status.rawValue))")
        }
        luma.withUnsafeMutableBufferPointer { pixels in
            for index in 0..<pixels.count { pixels[index] = fullRange[Int(pixels[index])] }
        }
        return PixelImage(width: width, height: height, layout: .gray, pixels: luma)
    }

    /// Video-range luma (16–235) to full range (0–255), as an RGB decode followed by 601 luma would give.
    private static let fullRange: [UInt8] = (0..<256).map { UInt8(clamping: (($0 - 16) * 255 + 109) / 219) }

    static func encodeWebP(_ image: PixelImage, quality: Int, lossless: Bool) throws(ImagingError) -> [UInt8] {
        let source = image.layout == .gray ? image.rgb() : image
        var output: UnsafeMutablePointer<UInt8>? = nil
        let stride = Int32(source.width * source.layout.channels)
        let size = source.pixels.withUnsafeBufferPointer { pixels -> Int in
            let base = pixels.baseAddress, w = Int32(source.width), h = Int32(source.height), q = Float(quality)
            switch (source.layout, lossless) {
            case (.rgba, false): return WebPEncodeRGBA(base, w, h, stride, q, &output)
            case (.rgba, true): return WebPEncodeLosslessRGBA(base, w, h, stride, &output)
            case (_, false): return WebPEncodeRGB(base, w, h, stride, q, &output)
            case (_, true): return WebPEncodeLosslessRGB(base, w, h, stride, &output)
            }
        }
        defer { if let output { WebPFree(output) } }
        guard size > 0, let output else {
            throw .encodingFailed(format: .webp, detail: "libwebp refused a \(image.width)x\(image.height) image")
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
