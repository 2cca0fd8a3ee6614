import Foundation
import Glibc

/// Names of Sluice's temp files: short and of fixed length, so a temp beside a file whose own name is 255 bytes
/// (NAME_MAX) still fits, and recognisable, so a start-up sweep can remove the ones a kill left behind.
public enum TemporaryName {
    /// Every temp name starts with this and is followed by 16 hex digits.
    public static let prefix = ".sluice-tmp-"
    public static let length = prefix.utf8.count + 16

    /// A fresh name such as `.sluice-tmp-3f9a0c6e1b2d4f58` (the folder is the caller's).
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.utf8.count) + hex
    }

    /// Whether a file name is one `make()` produces (for the sweep of leftovers).
    public static func isTemporary(_ name: String) -> Bool {
        name.utf8.count == length && name.hasPrefix(prefix)
            && name.utf8.dropFirst(prefix.utf8.count).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Removes the temp files a kill left in `folder` (not recursive, symlinks never followed); returns how many.
    @discardableResult
    public static func sweep(in folder: String) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names where isTemporary(name) {
            if unlink(folder + "/" + name) == 0 { removed += 1 }
        }
        return removed
    }
}
