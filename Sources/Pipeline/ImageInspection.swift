import ExifMetadata
import Foundation
import Imaging

/// Step A's look at one image: header, EXIF orientation, SHA-256 and a perceptual hash from a real decode, all from
/// one read of the file, so a corrupt body is caught here and named, not in the trainer.
public enum ImageInspection {
    public static func facts(ofImageAt path: String) throws -> ImageFacts {
        // Broken EXIF never makes an image unreadable: it is decoded upright-as-stored instead.
        let facts = try ImageFileFacts.read(path: path) { bytes in
            (try? ExifFacts.read(imageData: Data(bytes), path: path))?.orientation
        }
        // Dimensions as displayed (orientation applied), the same frame the perceptual hash saw.
        let size = facts.uprightSize
        return ImageFacts(
            width: size.width, height: size.height, format: facts.header.format.rawValue,
            perceptualHash: facts.perceptualHash.value, sha256: facts.sha256, byteCount: facts.byteCount)
    }
}
