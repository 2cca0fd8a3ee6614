import Testing

@testable import FolderWatch

/// The settle logic, driven by hand-made instants: no files, no sleeping.
@Suite struct SettleTrackerTests {
    typealias Tracker = SettleTracker<String, ContinuousClock.Instant>

    let start = ContinuousClock.now
    let settle = Duration.milliseconds(1000)
    let firstLook = Duration.milliseconds(100)

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start.advanced(by: .milliseconds(milliseconds)) }

    func snapshot(_ sizes: Int64...) -> EntrySnapshot {
        EntrySnapshot(
            items: [EntrySnapshot.Item(path: "", kind: .directory, size: 0, modified: 0)]
                + sizes.enumerated().map { EntrySnapshot.Item(path: "f\($0)", kind: .file, size: $1, modified: 1) })
    }

    func makeTracker() -> Tracker { Tracker(settlePeriod: settle, firstLookDelay: firstLook) }

    @Test func quietUnchangedEntrySettlesOnceAfterTheSettlePeriod() {
        var tracker = makeTracker()
        #expect(tracker.event(.activity("a"), at: at(0)).wakeAt == at(100))
        #expect(tracker.event(.tick, at: at(100)).look == ["a"])
        #expect(tracker.event(.looked("a", snapshot(5)), at: at(100)).wakeAt == at(1100))
        #expect(tracker.event(.tick, at: at(1099)).look == [])
        #expect(tracker.event(.tick, at: at(1100)).look == ["a"])
        let action = tracker.event(.looked("a", snapshot(5)), at: at(1100))
        #expect(action.settled == [.init(key: "a", snapshot: snapshot(5))])
        #expect(action.wakeAt == nil)
        #expect(tracker.isSettled("a"))
        #expect(tracker.event(.looked("a", snapshot(5)), at: at(5000)).settled == [])
    }

    @Test func activityWhileWaitingPushesSettlingPastTheLastActivity() {
        var tracker = makeTracker()
        _ = tracker.event(.activity("a"), at: at(0))
        _ = tracker.event(.looked("a", snapshot(5)), at: at(100))
        let action = tracker.event(.activity("a"), at: at(900))
        #expect(action.wakeAt == at(1000))
        _ = tracker.event(.looked("a", snapshot(9)), at: at(1000))
        #expect(tracker.event(.looked("a", snapshot(9)), at: at(1899)).settled == [])
        #expect(tracker.event(.tick, at: at(2000)).look == ["a"])
        #expect(tracker.event(.looked("a", snapshot(9)), at: at(2000)).settled.count == 1)
    }

    @Test func changeSeenOnlyBySnapshotRestartsTheSettlePeriod() {
        var tracker = makeTracker()
        _ = tracker.event(.activity("a"), at: at(0))
        _ = tracker.event(.looked("a", snapshot(5)), at: at(100))
        let action = tracker.event(.looked("a", snapshot(6)), at: at(1100))
        #expect(action.settled == [])
        #expect(action.wakeAt == at(2100))
        #expect(tracker.event(.looked("a", snapshot(6)), at: at(2100)).settled.count == 1)
    }

    @Test func entryFirstSeenByALookSettlesASettlePeriodLater() {
        var tracker = makeTracker()
        #expect(tracker.event(.looked("old", snapshot(1, 2)), at: at(0)).wakeAt == at(1000))
        #expect(tracker.event(.looked("old", snapshot(1, 2)), at: at(500)).settled == [])
        #expect(tracker.event(.looked("old", snapshot(1, 2)), at: at(1000)).settled.count == 1)
    }

    @Test func vanishedEntryIsForgotten() {
        var tracker = makeTracker()
        _ = tracker.event(.activity("a"), at: at(0))
        let action = tracker.event(.looked("a", nil), at: at(100))
        #expect(action.wakeAt == nil)
        #expect(tracker.trackedKeys.isEmpty)
    }

    @Test func settledEntryThatChangesSettlesAgainWithItsNewContent() {
        var tracker = makeTracker()
        _ = tracker.event(.looked("a", snapshot(1)), at: at(0))
        #expect(tracker.event(.looked("a", snapshot(1)), at: at(1000)).settled.count == 1)
        #expect(tracker.event(.activity("a"), at: at(3000)).wakeAt == at(3100))
        #expect(!tracker.isSettled("a"))
        _ = tracker.event(.looked("a", snapshot(1, 1)), at: at(3100))
        #expect(tracker.event(.looked("a", snapshot(1, 1)), at: at(4100)).settled == [.init(key: "a", snapshot: snapshot(1, 1))])
    }

    @Test func lateEventThatChangedNothingDoesNotReportTheEntryAgain() {
        var tracker = makeTracker()
        _ = tracker.event(.looked("a", snapshot(1)), at: at(0))
        #expect(tracker.event(.looked("a", snapshot(1)), at: at(1000)).settled.count == 1)
        _ = tracker.event(.activity("a"), at: at(1200))
        #expect(!tracker.isSettled("a"))
        _ = tracker.event(.looked("a", snapshot(1)), at: at(1300))
        #expect(tracker.event(.looked("a", snapshot(1)), at: at(2300)).settled == [])
        #expect(tracker.isSettled("a"))
        #expect(tracker.event(.tick, at: at(9000)).wakeAt == nil)
    }

    @Test func heldEntryIsReportedAgainWhenItNextSettlesUnchanged() {
        var tracker = makeTracker()
        _ = tracker.event(.looked("a", snapshot(0)), at: at(0))
        #expect(tracker.event(.looked("a", snapshot(0)), at: at(1000)).settled.count == 1)
        _ = tracker.event(.held("a"), at: at(1000))
        #expect(tracker.isSettled("a"))
        _ = tracker.event(.activity("a"), at: at(2000))
        _ = tracker.event(.looked("a", snapshot(0)), at: at(2100))
        #expect(tracker.event(.looked("a", snapshot(0)), at: at(3100)).settled.count == 1)
    }

    @Test func deadlineIsTheEarliestAcrossEntries() {
        var tracker = makeTracker()
        _ = tracker.event(.looked("late", snapshot(1)), at: at(0))
        let action = tracker.event(.activity("early"), at: at(200))
        #expect(action.wakeAt == at(300))
        #expect(tracker.event(.forget("early"), at: at(250)).wakeAt == at(1000))
    }

    @Test func defaultFirstLookIsAnEighthOfTheSettlePeriodAtMostATenthOfASecond() {
        #expect(Tracker(settlePeriod: .milliseconds(400)).firstLookDelay == .milliseconds(50))
        #expect(Tracker(settlePeriod: .seconds(10)).firstLookDelay == .milliseconds(100))
    }
}
