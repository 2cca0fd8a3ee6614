import ExifMetadata
import Foundation
import Imaging

/// Step A's look at one image: header, EXIF orientation, and a perceptual hash from a real decode, so a corrupt
/// body is caught here and named, not in the trainer.
public enum ImageInspection {
    public static func facts(ofImageAt path: String) throws -> ImageFacts {
        let header = try ImageHeader.read(path: path)
        // Broken EXIF never makes an image unreadable: it is decoded upright-as-stored instead.
        let orientation = (try? ExifFacts.read(from: path))?.orientation ?? 1
        let upright = (1...8).contains(orientation) ? orientation : 1
        let hash = try PerceptualHash.compute(path: path, orientation: upright)
        // Dimensions as displayed (orientation applied), the same frame the perceptual hash saw.
        let size = header.uprightSize(orientation: upright)
        return ImageFacts(width: size.width, height: size.height, format: header.format.rawValue, perceptualHash: hash.value)
    }
}
