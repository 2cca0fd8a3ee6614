import Foundation
import ImageLookup

/// What one lookup attempt means for the run (pure: from the session's outcome and the quota state).
public enum LookupVerdict: Equatable, Sendable {
    /// A match or a conclusive "no match": the lookup is done.
    case answered(LookupRecord)
    /// SauceNAO's daily quota is spent and nothing else found the image: wait, do not fail.
    case waitForQuota(until: Date, message: String)
    /// A service was down or answered badly in a way that may pass: try again later in the run.
    case retryLater(String)
    /// Nothing will change by trying again: the image goes on untagged, with the failures as context.
    case failed(String)

    /// Classifies an outcome; `quotaResetsAt` is when SauceNAO may be asked again if its daily quota is spent now.
    public static func of(_ outcome: ImageLookupOutcome, quotaResetsAt: Date?) -> LookupVerdict {
        let context = (outcome.failures.map(\.description) + outcome.notes).joined(separator: "; ")
        if let result = outcome.result, result.isMatch || outcome.isConclusive {
            return .answered(record(result, remarks: outcome.failures.map(\.description) + outcome.notes))
        }
        let saucenaoQuotaSpent = outcome.failures.contains { $0.service == .saucenao && $0.isTransient }
        if let quotaResetsAt, saucenaoQuotaSpent {
            return .waitForQuota(until: quotaResetsAt, message: context)
        }
        let transient = outcome.failures.contains { $0.isTransient && $0.service != .cache && $0.service != .file }
        if transient { return .retryLater(context) }
        if let result = outcome.result, outcome.failures.allSatisfy({ $0.service == .cache }) {
            return .answered(record(result, remarks: outcome.failures.map(\.description) + outcome.notes))
        }
        return .failed(context.isEmpty ? "no service could answer" : context)
    }

    /// The result as the library keeps it: tags by booru category, each with the match's similarity as confidence.
    static func record(_ result: LookupResult, remarks: [String]) -> LookupRecord {
        let similarity = result.match?.similarity
        let site = result.post?.site.rawValue
        let tags = result.tags
        var list: [LibraryTag] = []
        for (category, names) in [
            ("character", tags.character), ("copyright", tags.copyright), ("artist", tags.artist), ("general", tags.general),
            ("meta", tags.meta),
        ] {
            list += names.map { LibraryTag(booru: $0, category: category, confidence: similarity, source: site) }
        }
        if let rating = result.rating {
            list.append(LibraryTag(category: "rating", name: rating.rawValue, confidence: similarity, source: site))
        }
        return LookupRecord(
            origin: result.origin.rawValue, similarity: similarity, source: result.post?.url ?? result.match?.postURL,
            rating: result.rating?.rawValue, tags: list, fromCache: result.fromCache, remarks: remarks)
    }
}
