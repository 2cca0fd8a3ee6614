import Foundation

/// Reads JSON whose field types vary between answers (numbers as strings, ids as int or string, objects or arrays).
enum LooseJSON {
    /// The top-level value, or nil when the bytes are not JSON.
    static func parse(_ data: Data) -> Any? {
        try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    static func int(_ value: Any?) -> Int? {
        switch value {
        case let number as NSNumber:
            return number.intValue
        case let string as String:
            let trimmed = string.trimmingCharacters(in: .whitespaces)
            return Int(trimmed) ?? Double(trimmed).map { Int($0) }
        default:
            return nil
        }
    }

    static func double(_ value: Any?) -> Double? {
        switch value {
        case let number as NSNumber: return number.doubleValue
        case let string as String: return Double(string.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    static func string(_ value: Any?) -> String? {
        switch value {
        case let string as String: return string
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    /// A string, or the strings of an array (SauceNAO's `creator` is either).
    static func strings(_ value: Any?) -> [String] {
        switch value {
        case let string as String: return string.isEmpty ? [] : [string]
        case let array as [Any]: return array.compactMap { string($0) }.filter { !$0.isEmpty }
        default: return []
        }
    }
}
