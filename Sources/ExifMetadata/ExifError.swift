/// Why the EXIF facts of one image could not be read; every message names the file.
public enum ExifError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The container (JPEG segments, PNG chunks, RIFF chunks) ends or points past the end of the file.
    case malformedContainer(path: String, detail: String)
    /// An EXIF block is present but libexif found no entry in it.
    case unreadableExif(path: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            "\(path): cannot read the image (\(reason)); check that it exists and is readable"
        case .malformedContainer(let path, let detail):
            "\(path): the image file is damaged (\(detail)); re-download or re-export it"
        case .unreadableExif(let path):
            "\(path): the EXIF block is broken and holds no readable entry; strip it (exiftool -exif:all= FILE) or ignore it"
        }
    }
}
