import Foundation
import Testing
@testable import CategoryLearning
import LearningStream

@Suite("CategoryLearning models: naive Bayes vs kNN on a generated stream, explanations, thresholds (pure)")
struct LearningModelTests {
    /// Replays the stream in blocks of 50 without files: place by learner-or-rules, then the user corrects.
    static func learningCurve(_ kind: CategoryModelKind, settings: LearningSettings = LearningSettings()) -> [(Double, Double)] {
        let stream = ImageStream.make(count: 500)
        var examples: [TrainingExample] = []
        var corrections: [Correction] = []
        var curve: [(Double, Double)] = []
        for block in stride(from: 0, to: stream.count, by: 50) {
            let learner = CategoryLearner(examples: examples, corrections: corrections, settings: settings, model: kind)
            var learned = 0
            var rulesOnly = 0
            for image in stream[block..<block + 50] {
                let suggestion = learner.suggest(image.tags)
                let placed = suggestion?.isUsed == true ? suggestion!.category : ImageStream.ruleCategory(image.tags)
                let wanted = ImageStream.hiddenCategory(image.tags)
                if placed == wanted { learned += 1 }
                if ImageStream.ruleCategory(image.tags) == wanted { rulesOnly += 1 }
                if placed != wanted {
                    corrections.append(Correction(
                        sha256: image.name, tags: image.tags.filter { !$0.isAnalysis }, analysisTags: image.tags.filter(\.isAnalysis),
                        suggestedCategory: suggestion?.category, fromCategory: placed, chosenCategory: wanted, time: Date()))
                }
                examples.append(TrainingExample(tags: Set(image.tags), category: wanted))
            }
            curve.append((Double(learned) / 50, Double(rulesOnly) / 50))
        }
        return curve
    }

    @Test func naiveBayesLearnsTheHiddenRuleBetterThanNearestNeighboursAndTheRules() {
        let knn = Self.learningCurve(.nearestNeighbours)
        let bayes = Self.learningCurve(.naiveBayes)
        for (index, (row, bayesRow)) in zip(knn, bayes).enumerated() {
            print(String(format: "block %2d  rules-only %.2f  knn %.2f  naive-bayes %.2f", index + 1, row.1, row.0, bayesRow.0))
        }
        let lastHalf = { (curve: [(Double, Double)]) in curve.suffix(5).map(\.0).reduce(0, +) / 5 }
        let rules = knn.suffix(5).map(\.1).reduce(0, +) / 5
        #expect(lastHalf(bayes) > rules + 0.2)
        #expect(lastHalf(bayes) > lastHalf(knn))
        #expect(CategoryLearner.defaultModel == .naiveBayes)
    }

    @Test func explanationCountsTheUsersMovesForTheTellingTag() throws {
        let miku = LearningTag(category: "character", tag: "hatsune miku")
        let solo = LearningTag(category: "general", tag: "solo")
        var corrections: [Correction] = []
        var examples: [TrainingExample] = []
        for index in 0..<15 {
            let chosen = index < 14 ? "Vocaloid" : "Fanart/vocaloid"
            corrections.append(Correction(sha256: "\(index)", tags: [miku, solo], analysisTags: [], suggestedCategory: nil,
                                          fromCategory: "Characters/hatsune miku", chosenCategory: chosen, time: Date()))
            examples.append(TrainingExample(tags: [miku, solo], category: chosen))
        }
        for index in 0..<20 { examples.append(TrainingExample(tags: [solo, LearningTag(category: "general", tag: "t\(index)")], category: "Other")) }
        let learner = CategoryLearner(examples: examples, corrections: corrections, settings: LearningSettings())
        let suggestion = try #require(learner.suggest([miku, solo]))
        #expect(suggestion.category == "Vocaloid")
        #expect(suggestion.isUsed)
        #expect(suggestion.support == 14)
        #expect(suggestion.explanation.hasPrefix("learned: 14 of 15 images tagged `character:hatsune miku` were moved to Vocaloid/"))
    }

    @Test func suggestionNeedsConfidenceAndEnoughSupportingMoves() throws {
        let tag = LearningTag(category: "copyright", tag: "touhou")
        let corrections = (0..<2).map {
            Correction(sha256: "\($0)", tags: [tag], analysisTags: [], suggestedCategory: nil, fromCategory: "A",
                       chosenCategory: "Touhou", time: Date())
        }
        let examples = (0..<2).map { _ in TrainingExample(tags: [tag], category: "Touhou") }
            + [TrainingExample(tags: [tag], category: "Elsewhere")]
        let thin = CategoryLearner(examples: examples, corrections: corrections, settings: LearningSettings(minConfidence: 0.1, minExamples: 3))
        let suggestion = try #require(thin.suggest([tag]))
        #expect(!suggestion.isUsed)
        #expect(suggestion.explanation.contains("learning.min_examples"))
        let strict = CategoryLearner(examples: examples, corrections: corrections, settings: LearningSettings(minConfidence: 0.99, minExamples: 1))
        #expect(strict.suggest([tag])?.isUsed == false)
        #expect(CategoryLearner(examples: [], corrections: [], settings: LearningSettings()).suggest([tag]) == nil)
    }

    @Test func movePairerPairsByCookieAndExpiresMovesOutOfTheTree() {
        var pairer = MovePairer(timeout: 0.5)
        pairer.movedFrom(cookie: 7, path: "A/x.png", isDirectory: false, now: 10)
        pairer.movedFrom(cookie: 8, path: "A/y.png", isDirectory: false, now: 10)
        #expect(pairer.movedTo(cookie: 7, path: "B/x.png", isDirectory: false) == .init(from: "A/x.png", to: "B/x.png", isDirectory: false))
        #expect(pairer.movedTo(cookie: 9, path: "B/z.png", isDirectory: false).from == nil)
        #expect(pairer.expire(now: 10.2).isEmpty)
        #expect(pairer.nextDeadline == 10.5)
        #expect(pairer.expire(now: 10.5) == [.init(from: "A/y.png", to: nil, isDirectory: false)])
        #expect(pairer.nextDeadline == nil)
    }

    @Test func tagsParseFromTheTagsFileForm() {
        #expect(LearningTag(parsing: "character:hatsune miku") == LearningTag(category: "character", tag: "hatsune miku"))
        #expect(LearningTag(parsing: "re:zero") == LearningTag(category: "general", tag: "re:zero"))
        #expect(LearningTag(parsing: "sluice:sluice/monochrome").description == "sluice/monochrome")
        #expect(PlacedImage.category(ofPath: "Fanart/touhou/a.png") == "Fanart/touhou")
        #expect(PlacedImage.category(ofPath: "a.png") == "")
    }
}
