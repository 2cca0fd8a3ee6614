/// File names for clashes: `a.jpg`, then `a (2).jpg`, `a (3).jpg`, … (pure).
public enum NumberedName {
    /// The n-th name for `name` (n = 1 is the name itself).
    public static func numbered(_ name: String, _ n: Int) -> String {
        guard n > 1 else { return name }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "\(name) (\(n))" }
        return "\(name[..<dot]) (\(n))\(name[dot...])"
    }

    /// The first numbered name for which `isTaken` is false.
    public static func free(for name: String, isTaken: (String) -> Bool) -> String {
        var n = 1
        while isTaken(numbered(name, n)) { n += 1 }
        return numbered(name, n)
    }
}
