/// Paths as systemd names them in unit instances: `systemd-escape --path` and its reverse (`%f`).
public enum SystemdPath {
    /// `/home/mika/Sluice` → `home-mika-Sluice`; `-`, spaces and other bytes become `\xNN`, as systemd.unit(5)
    /// specifies, so `sluice@<escaped>.service` maps back to exactly this path through `%f`.
    public static func escape(_ path: String) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !components.isEmpty else { return "-" }
        var escaped = ""
        for (componentIndex, component) in components.enumerated() {
            if componentIndex > 0 { escaped += "-" }
            for (index, byte) in component.utf8.enumerated() {
                let isPlain = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "_") || (byte == UInt8(ascii: ".") && !(componentIndex == 0 && index == 0))
                if isPlain {
                    escaped.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    let hex = String(byte, radix: 16)
                    escaped += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                }
            }
        }
        return escaped
    }
}
