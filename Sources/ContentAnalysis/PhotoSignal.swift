import ExifMetadata

/// How much an image looks like a photograph (1) rather than a drawing (0), with the evidence behind the figure.
public struct PhotoSignal: Codable, Equatable, Sendable {
    /// 0 (drawing) – 1 (photograph); 0.5 when nothing is known.
    public var score: Double
    /// The evidence in words, for the manifest ("camera: Canon EOS 5D", "flat fills: 78% of neighbouring pixels").
    public var evidence: [String]

    public init(score: Double, evidence: [String]) {
        self.score = score
        self.evidence = evidence
    }

    /// Weighs EXIF camera facts (a strong sign) and colour statistics: photographs spread over many colours and have
    /// texture everywhere, drawings have a dominant palette and flat fills.
    public init(exif: ExifFacts, pixels: PixelFacts?) {
        var evidence: [String] = []
        let camera = [exif.make, exif.model].compactMap { $0 }.joined(separator: " ")
        let statistics: Double?
        if let pixels {
            // Palette: a drawing's eight commonest colours cover most of it (paper, ink, fills); a photograph's light
            // spreads over many. On the test fixtures: drawings and manga pages 0.84-0.98, photo-like noise 0.47.
            let palette = min(max((0.85 - pixels.paletteDominance) / 0.35, 0), 1)
            // Texture: under 30% flat neighbours is photo-like, over 70% drawing-like; weaker, since JPEG blocks and
            // screentones roughen drawings too.
            let texture = min(max((0.7 - pixels.flatShare) / 0.4, 0), 1)
            statistics = 0.8 * palette + 0.2 * texture
            evidence.append("eight commonest colours: \(Int((pixels.paletteDominance * 100).rounded()))% of the image")
            evidence.append("flat fills: \(Int((pixels.flatShare * 100).rounded()))% of neighbouring pixels")
        } else {
            statistics = nil
        }
        var score: Double
        if !camera.isEmpty {
            evidence.insert("camera: \(camera)", at: 0)
            // A camera took it, but a photo of a drawn page still looks drawn: the statistics keep some say.
            score = 0.6 + 0.4 * (statistics ?? 0.75)
        } else if let statistics {
            // Without a camera the statistics alone never make a certain photo (screenshots, 3-D renders).
            score = 0.1 + 0.75 * statistics
        } else {
            score = 0.5
        }
        self.init(score: (score * 1000).rounded() / 1000, evidence: evidence)
    }
}
