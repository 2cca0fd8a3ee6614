import ContentAnalysis
import ExifMetadata
import Foundation
import Hashing
import Imaging
import XMPSidecar

/// The scan stage's work on one file: digests, size, dimensions and perceptual hash from a real decode, so a corrupt
/// body is caught here and named; or why the image is refused.
public struct ImageScanner: Sendable {
    public enum Verdict: Equatable, Sendable {
        /// With the built-in analysis' facts when the scan surveyed the pixels.
        case scanned(ImageFacts, content: ContentFacts?)
        case refused(String)
        /// The image's sidecar carries Sluice's processed marker.
        case alreadyProcessed(ProcessedMarker)
    }

    public var maxPixels: Int
    /// Ignore the processed marker (`--reprocess`).
    public var reprocess: Bool
    /// When set, one read and one decode (`ImageSurvey`) give the digests, the perceptual hash and the built-in
    /// analysis' facts together.
    public var survey: AnalysisThresholds?
    /// Files larger than this are refused before reading (surveyed scans hold the file in memory).
    public var maxBytes = 512 << 20

    public init(maxPixels: Int, reprocess: Bool, survey: AnalysisThresholds? = nil) {
        self.maxPixels = maxPixels
        self.reprocess = reprocess
        self.survey = survey
    }

    public func scan(_ path: String) -> Verdict {
        if !reprocess, let marker = (try? SidecarStore().read(forImage: URL(fileURLWithPath: path)))??.processed {
            return .alreadyProcessed(marker)
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return .refused("cannot be read: \(String(cString: strerror(errno)))") }
        guard info.st_size > 0 else { return .refused("empty file") }
        let head: [UInt8]
        do {
            guard let handle = FileHandle(forReadingAtPath: path) else { return .refused("cannot be opened for reading") }
            defer { try? handle.close() }
            head = Array(try handle.read(upToCount: 32) ?? Data())
        } catch {
            return .refused("cannot be read: \(error.localizedDescription)")
        }
        if let thresholds = survey, !Self.isAVIF(head) { return surveyed(path, thresholds: thresholds) }
        do {
            let facts: ImageFacts
            if let gif = Self.gifSize(head) {
                guard gif.width * gif.height <= maxPixels else { return pixelRefusal(gif.width, gif.height) }
                facts = try digests(path, bytes: Int64(info.st_size), width: gif.width, height: gif.height, format: "gif", hash: nil)
            } else if Self.isAVIF(head) {
                return .refused("AVIF: this build has no AVIF decoder, so it cannot be hashed or checked")
            } else {
                let header = try ImageHeader.read(path: path)
                guard header.width * header.height <= maxPixels else { return pixelRefusal(header.width, header.height) }
                // Broken EXIF never makes an image unreadable: it is decoded upright-as-stored instead.
                let orientation = (try? ExifFacts.read(from: path))?.orientation ?? 1
                let upright = (1...8).contains(orientation) ? orientation : 1
                let hash = try PerceptualHash.compute(path: path, orientation: upright)
                let size = header.uprightSize(orientation: upright)
                facts = try digests(
                    path, bytes: Int64(info.st_size), width: size.width, height: size.height, format: header.format.rawValue,
                    hash: hash.description)
            }
            return .scanned(facts, content: nil)
        } catch let error as ImagingError {
            return .refused("\(error)")
        } catch {
            return .refused("cannot be read: \(error)")
        }
    }

    /// The scan from one read and one decode: digests of the bytes read, the survey's hash and content facts.
    private func surveyed(_ path: String, thresholds: AnalysisThresholds) -> Verdict {
        do throws(ImagingError) {
            let bytes = try ImageSurvey.readFile(path, maximumBytes: maxBytes)
            if let gif = Self.gifSize(Array(bytes.prefix(10))), gif.width * gif.height > maxPixels { return pixelRefusal(gif.width, gif.height) }
            if let header = try? ImageHeader.parse(bytes, source: path), header.width * header.height > maxPixels {
                return pixelRefusal(header.width, header.height)
            }
            let survey = try ImageSurvey.survey(bytes, source: path, thresholds: thresholds, maximumPixels: maxPixels)
            let data = Data(bytes)
            let facts = ImageFacts(
                sha256: FileDigest.hex(of: data, algorithm: .sha256), md5: FileDigest.hex(of: data, algorithm: .md5), bytes: Int64(bytes.count),
                width: survey.content.width, height: survey.content.height, format: survey.header?.format.rawValue ?? "gif",
                perceptualHash: survey.perceptualHash?.description)
            return .scanned(facts, content: survey.content)
        } catch {
            return .refused("\(error)")
        }
    }

    private func pixelRefusal(_ width: Int, _ height: Int) -> Verdict {
        .refused("\(width)×\(height) is more than library.max_pixels (\(maxPixels)) allows")
    }

    private func digests(_ path: String, bytes: Int64, width: Int, height: Int, format: String, hash: String?) throws -> ImageFacts {
        ImageFacts(
            sha256: try FileDigest.hex(of: path, algorithm: .sha256), md5: try FileDigest.hex(of: path, algorithm: .md5),
            bytes: bytes, width: width, height: height, format: format, perceptualHash: hash)
    }

    /// The logical screen size of a GIF (`GIF87a`/`GIF89a`, little-endian width and height).
    static func gifSize(_ head: [UInt8]) -> (width: Int, height: Int)? {
        guard head.count >= 10, head.starts(with: Array("GIF8".utf8)) else { return nil }
        let width = Int(head[6]) | Int(head[7]) << 8
        let height = Int(head[8]) | Int(head[9]) << 8
        return width > 0 && height > 0 ? (width, height) : nil
    }

    /// An ISO-BMFF file whose brand is `avif`/`avis`.
    static func isAVIF(_ head: [UInt8]) -> Bool {
        guard head.count >= 12, Array(head[4..<8]) == Array("ftyp".utf8) else { return false }
        let brand = String(decoding: head[8..<12], as: UTF8.self)
        return brand == "avif" || brand == "avis"
    }
}
