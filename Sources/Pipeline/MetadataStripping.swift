import ExifMetadata
import Foundation

/// `autotag.strip_metadata`: an upload copy of an image without GPS and camera EXIF; the original is never touched.
public enum MetadataStripping {
    /// Writes the stripped copy into `scratch` and returns its path, or nil when the original has nothing to strip.
    @Sendable public static func strippedCopy(of original: String, in scratch: URL) throws -> String? {
        let data = try Data(contentsOf: URL(fileURLWithPath: original))
        guard let stripped = try ExifStripper.stripped(data, path: original) else { return nil }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let copy = scratch.appendingPathComponent(UUID().uuidString).appendingPathExtension((original as NSString).pathExtension)
        try stripped.write(to: copy)
        return copy.path
    }
}
