/// Why a zip could not be written, read or extracted; every case names the archive (or source file) involved.
public enum ZipError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The end of central directory is missing or points outside the file: the download is unfinished or cut.
    case notComplete(file: String)
    /// The archive's structure contradicts itself (bad signature, sizes that do not add up, bad deflate data).
    case corrupt(file: String, detail: String)
    /// An entry's name would land outside the destination (`../`, absolute path, backslash, drive letter).
    case unsafeEntryName(file: String, entry: String)
    /// An entry is a symbolic link (or another special file), which an untrusted archive may not create.
    case linkEntry(file: String, entry: String)
    /// Two entries would write the same path.
    case duplicateEntry(file: String, entry: String)
    /// More entries than the extraction limits allow.
    case tooManyEntries(file: String, count: Int, limit: Int)
    /// The uncompressed total would exceed the extraction limits (a zip bomb by size).
    case tooLarge(file: String, limit: UInt64)
    /// An entry inflates far beyond its compressed size (a zip bomb by ratio).
    case compressionRatioExceeded(file: String, entry: String, limit: Int)
    /// All entries together inflate far beyond the archive's size (a zip bomb made of many small entries).
    case archiveCompressionRatioExceeded(file: String, limit: Int)
    /// An entry's data does not match its recorded CRC-32.
    case checksumMismatch(file: String, entry: String)
    /// An encrypted entry, or a compression method other than stored and deflate.
    case unsupported(file: String, entry: String, detail: String)
    /// The extraction destination already exists; extraction never merges into an existing folder.
    case destinationExists(file: String, destination: String)
    /// A name given to the writer is empty, absolute, contains `..` or was already added.
    case invalidName(file: String, name: String)
    /// An unfinished archive does not match what was recorded about it, so a writer cannot continue it.
    case cannotResume(file: String, detail: String)
    /// A system call failed while working on `file`.
    case io(file: String, detail: String)

    public var description: String {
        switch self {
        case .notComplete(let file):
            return "not a complete zip: \(file) (wait for the download to finish, or download it again)"
        case .corrupt(let file, let detail):
            return "corrupt zip: \(file): \(detail)"
        case .unsafeEntryName(let file, let entry):
            return "refused zip \(file): entry \"\(entry)\" would be written outside the destination"
        case .linkEntry(let file, let entry):
            return "refused zip \(file): entry \"\(entry)\" is a symbolic link or special file"
        case .duplicateEntry(let file, let entry):
            return "refused zip \(file): entry \"\(entry)\" appears more than once"
        case .tooManyEntries(let file, let count, let limit):
            return "refused zip \(file): \(count) entries exceed the limit of \(limit)"
        case .tooLarge(let file, let limit):
            return "refused zip \(file): uncompressed contents exceed the limit of \(limit) bytes"
        case .compressionRatioExceeded(let file, let entry, let limit):
            return "refused zip \(file): entry \"\(entry)\" expands more than \(limit) times its compressed size"
        case .archiveCompressionRatioExceeded(let file, let limit):
            return "refused zip \(file): its entries together expand more than \(limit) times the archive's size"
        case .checksumMismatch(let file, let entry):
            return "corrupt zip: \(file): entry \"\(entry)\" fails its CRC-32 check (download it again)"
        case .unsupported(let file, let entry, let detail):
            return "unsupported zip \(file): entry \"\(entry)\": \(detail)"
        case .destinationExists(let file, let destination):
            return "cannot extract \(file): \(destination) already exists (remove it first)"
        case .invalidName(let file, let name):
            return "cannot add \"\(name)\" to \(file): the name is empty, absolute, contains '..' or is a duplicate"
        case .cannotResume(let file, let detail):
            return "cannot resume \(file): \(detail)"
        case .io(let file, let detail):
            return "\(file): \(detail)"
        }
    }
}
