/// Makes text safe as one folder name on Linux and on the SMB/NFS shares final/ is synced to (pure).
public enum FolderName {
    /// Longest component kept, in UTF-8 bytes (file systems allow 255; room is left for numbered names).
    public static let maximumBytes = 120

    /// `/`, `\`, `<>:"|?*` and control characters become `_`; leading dots and trailing dots and spaces go (a category
    /// can never be hidden or `..`); Windows device names get a `_`; empty text gives nil.
    public static func safe(_ text: String) -> String? {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || "/\\<>:\"|?*".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append("_")
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        result = result.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        while result.hasPrefix(".") || result.hasPrefix(" ") { result.removeFirst() }
        while result.hasSuffix(".") || result.hasSuffix(" ") { result.removeLast() }
        while result.utf8.count > maximumBytes { result.removeLast() }
        while result.hasSuffix(".") || result.hasSuffix(" ") { result.removeLast() }
        guard !result.isEmpty else { return nil }
        let stem = result.split(separator: ".").first.map { $0.uppercased() } ?? ""
        if reservedNames.contains(stem) { result += "_" }
        return result
    }

    /// Device names Windows (and so SMB shares) refuse as file names, with or without an extension.
    static let reservedNames: Set<String> = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })

    /// A `/`-separated folder path with every component made safe; nil when nothing is left.
    public static func safePath(_ path: String) -> String? {
        let parts = path.split(separator: "/").compactMap { safe(String($0)) }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
