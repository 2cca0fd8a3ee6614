import Foundation

/// Removes API keys and logins from text before it reaches an error, a log or any output.
public struct SecretRedactor: Sendable {
    /// Query parameters whose values are always secret, whatever the caller passed.
    public static let secretQueryNames: Set<String> = ["api_key", "apikey", "key", "password", "pass_hash", "login", "token"]

    public var secrets: [String]

    public init(secrets: [String] = []) {
        self.secrets = secrets.filter { !$0.isEmpty }
    }

    /// The text with every known secret and every secret query value replaced by `REDACTED`.
    public func redact(_ text: String) -> String {
        var result = text
        // Longest first, so a secret containing another is removed whole.
        for secret in secrets.sorted(by: { $0.count > $1.count }) {
            result = result.replacingOccurrences(of: secret, with: "REDACTED")
            let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret
            if encoded != secret { result = result.replacingOccurrences(of: encoded, with: "REDACTED") }
        }
        return Self.redactQueryValues(in: result)
    }

    private static func redactQueryValues(in text: String) -> String {
        var output = ""
        var remainder = Substring(text)
        while let match = remainder.firstMatch(of: /([?&])([A-Za-z_]+)=([^&#\s"']*)/) {
            output += remainder[remainder.startIndex..<match.range.lowerBound]
            let (_, separator, name, value) = match.output
            if secretQueryNames.contains(name.lowercased()) && !value.isEmpty && value != "REDACTED" {
                output += "\(separator)\(name)=REDACTED"
            } else {
                output += remainder[match.range]
            }
            remainder = remainder[match.range.upperBound...]
        }
        return output + remainder
    }
}
