import Foundation

/// Zips no honest tool writes, made with Python's zipfile (which writes whatever names and attributes it is given).
enum HostileZips {
    enum Kind: String, CaseIterable, Sendable {
        case parentEscape = "../ entry"
        case absolutePath = "absolute path"
        case symlinkOut = "symlink out"
        case bombBySize = "bomb by size"
        case bombByEntryCount = "bomb by entry count"
        case truncated = "truncated archive"
    }

    /// Writes a hostile zip of `kind` at `path`; `images` (real files) are included so it would otherwise match.
    static func write(_ kind: Kind, to path: URL, images: [URL]) throws {
        let script = """
            import os, sys, zipfile, stat
            kind, out = sys.argv[1], sys.argv[2]
            images = sys.argv[3:]
            with zipfile.ZipFile(out, "w") as z:
                for index, image in enumerate(images):
                    z.write(image, "%03d%s" % (index, os.path.splitext(image)[1]))
                if kind == "parentEscape":
                    z.writestr("../escaped.txt", "1girl")
                elif kind == "absolutePath":
                    info = zipfile.ZipInfo("/tmp/sluice-absolute-escape.txt")
                    z.writestr(info, "1girl")
                elif kind == "symlinkOut":
                    info = zipfile.ZipInfo("000.txt")
                    info.create_system = 3
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                    z.writestr(info, "/etc/passwd")
                elif kind == "bombBySize":
                    z.writestr(zipfile.ZipInfo("zeros.txt"), b"\\0" * (64 << 20), compress_type=zipfile.ZIP_DEFLATED)
                elif kind == "bombByEntryCount":
                    for index in range(60000):
                        z.writestr("many/%05d.txt" % index, "")
            if kind == "truncated":
                size = os.path.getsize(out)
                with open(out, "r+b") as handle:
                    handle.truncate(size - 40)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, "\(kind)", path.path] + images.map(\.path)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("python3 could not write the \(kind.rawValue) zip") }
    }
}
