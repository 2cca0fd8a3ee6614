import Dispatch
import Foundation
import ExifMetadata
import Imaging
import TerminalUI

/// Decodes and encodes thumbnails off the key-handling thread, keeping the current and the next images ready.
///
/// Safe as `@unchecked Sendable`: the dictionary and the in-flight set are only touched under `lock`; work items capture
/// nothing mutable besides them.
public final class ThumbnailCache: @unchecked Sendable {
    public struct Key: Hashable, Sendable {
        public let path: String
        public let mode: ThumbnailMode
        public let columns: Int
        public let rows: Int
        public let cellWidth: Int
        public let cellHeight: Int
    }

    private let lock = NSLock()
    private var ready: [Key: Result<Thumbnail, ImagingError>] = [:]
    private var inFlight: Set<Key> = []
    private let queue = DispatchQueue(label: "sluice.thumbnails", qos: .userInitiated)
    private let limit = 8

    public init() {}

    public static func key(path: String, mode: ThumbnailMode, columns: Int, rows: Int, size: TerminalSize) -> Key {
        Key(path: path, mode: mode, columns: columns, rows: rows, cellWidth: size.cellWidth, cellHeight: size.cellHeight)
    }

    /// The thumbnail for `key`, made now if it is not ready (waits for a prefetch of the same key in flight).
    public func thumbnail(_ key: Key) -> Result<Thumbnail, ImagingError> {
        while true {
            let state: (Result<Thumbnail, ImagingError>?, Bool) = lock.withLock { (ready[key], inFlight.contains(key)) }
            if let done = state.0 { return done }
            if !state.1 { break }
            usleep(1000)
        }
        let made = Self.make(key)
        lock.withLock { store(key, made) }
        return made
    }

    /// Starts making `key` in the background unless it is ready or on its way.
    public func prefetch(_ key: Key) {
        let start = lock.withLock { () -> Bool in
            guard ready[key] == nil, !inFlight.contains(key) else { return false }
            inFlight.insert(key)
            return true
        }
        guard start else { return }
        queue.async { [self] in
            let made = Self.make(key)
            lock.withLock {
                inFlight.remove(key)
                store(key, made)
            }
        }
    }

    private func store(_ key: Key, _ value: Result<Thumbnail, ImagingError>) {
        if ready.count >= limit { ready.removeAll() }
        ready[key] = value
    }

    /// Decodes upright at reduced scale (JPEG DCT scaling, WebP rescaling, PNG block averaging) just large enough
    /// for the box, then encodes.
    static func make(_ key: Key) -> Result<Thumbnail, ImagingError> {
        Result { () throws(ImagingError) -> Thumbnail in
            let size = TerminalSize(columns: key.columns, rows: key.rows, cellWidth: key.cellWidth, cellHeight: key.cellHeight)
            let header = try ImageHeader.read(path: key.path)
            // A photo's EXIF turns it upright; unreadable EXIF shows the pixels as stored rather than no thumbnail.
            let exifOrientation = (try? ExifFacts.read(from: key.path))?.orientation ?? 1
            let orientation = (1...8).contains(exifOrientation) ? exifOrientation : 1
            let upright = header.uprightSize(orientation: orientation)
            let box = Thumbnail.fit(
                imageWidth: upright.width, imageHeight: upright.height, columns: key.columns, rows: key.rows,
                mode: key.mode, size: size)
            // minimumSide keeps the short side at least the box's: DCT scaling never goes below what is shown.
            let shortSide = upright.width <= upright.height ? box.width : box.height
            let image = try ImageDecoder.decode(
                path: key.path, layout: .rgb, orientation: orientation, minimumSide: max(shortSide, 1))
            return try Thumbnail.make(image, mode: key.mode, columns: key.columns, rows: key.rows, size: size)
        }
    }
}
