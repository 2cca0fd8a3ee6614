import Foundation

/// One caption as `DatasetNormalizer.normalizeCaptions` hands it to its writer: the bytes read and what to write.
public struct NormalizedCaption: Sendable {
    /// The caption's path, as given to `normalizeCaptions`.
    public var path: String
    /// The caption's bytes as read, before normalization.
    public var original: Data
    /// The normalized text, or nil when normalization leaves the caption as it was.
    public var changedText: String?

    public init(path: String, original: Data, changedText: String?) {
        self.path = path
        self.original = original
        self.changedText = changedText
    }

    /// The bytes the caption holds after normalization: the new text's, else the original's unchanged.
    public var normalizedBytes: [UInt8] { changedText.map { Array($0.utf8) } ?? Array(original) }
}
