import SystemIO

/// The file names around one image, as plain paths (URL arithmetic is slow and this runs per image).
struct SidecarPaths: Sendable {
    let image: String
    /// `<image>.<ext>.xmp`.
    let current: String
    /// `<image>.xmp`.
    let legacy: String
    let folder: String
    /// The last component of `current`.
    private let currentName: String

    init(image: String) {
        self.image = image
        current = image + ".xmp"
        let utf8 = image.utf8
        let slash = utf8.lastIndex(of: UInt8(ascii: "/"))
        folder = slash.map { $0 == utf8.startIndex ? "/" : String(image[..<$0]) } ?? "."
        let nameStart = slash.map { utf8.index(after: $0) } ?? utf8.startIndex
        currentName = String(image[nameStart...]) + ".xmp"
        if let dot = utf8[nameStart...].lastIndex(of: UInt8(ascii: ".")), dot != nameStart {
            legacy = String(image[..<dot]) + ".xmp"
        } else {
            legacy = current
        }
    }

    /// A unique hidden temp name beside `current`, so a crash never leaves half a sidecar under the real name.
    func temporary(index: Int, processID: Int32) -> String {
        // Fixed length (TemporaryName): `.<image>.xmp.tmp-…` overflowed NAME_MAX beside a long image name.
        (folder == "/" ? "" : folder) + "/" + TemporaryName.make()
    }
}
