/// Why an image could not be read, decoded or encoded; every case names the file (or what was being encoded).
public enum ImagingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The bytes are not JPEG, PNG or WebP.
    case unknownFormat(file: String)
    /// The file claims a known format but its data is damaged or cut short.
    case corrupt(file: String, detail: String)
    /// The file could not be read.
    case unreadable(file: String, detail: String)
    /// The header declares more pixels than the configured cap (`index.max_pixels`); nothing was decoded.
    case tooManyPixels(file: String, width: Int, height: Int, limit: Int)
    /// An encoder refused the pixels.
    case encodingFailed(format: ImageFormat, detail: String)
    /// A caller passed an EXIF orientation outside 1–8, or dimensions that make no image.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .unknownFormat(let file):
            return "\(file): not a JPEG, PNG or WebP image (remove it or convert it)"
        case .corrupt(let file, let detail):
            return "\(file): corrupt image (\(detail)); re-export or remove it"
        case .unreadable(let file, let detail):
            return "\(file): cannot read (\(detail))"
        case .tooManyPixels(let file, let width, let height, let limit):
            return "\(file): refused: \(width)x\(height) is \(width * height) pixels, over the limit of \(limit) (index.max_pixels)"
        case .encodingFailed(let format, let detail):
            return "cannot encode \(format.rawValue): \(detail)"
        case .invalidArgument(let detail):
            return detail
        }
    }
}
