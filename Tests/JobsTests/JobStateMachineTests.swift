import Jobs
import Testing

@Test func datasetWithoutAutotagRunsStepsInOrderToCompletion() {
    var machine = JobStateMachine(plan: .dataset(autotag: false))
    var visited: [Step] = []
    var action = machine.pendingAction
    while case .runStep(let step) = action {
        visited.append(step)
        action = machine.event(.stepFinished(step, .success))
    }
    #expect(visited == [.adopt, .index, .normalize, .review, .finalCleanup, .finalZip])
    #expect(action == .complete)
    #expect(machine.status == .completed)
}

@Test func autotagPlanIncludesTheRoundTrip() {
    #expect(StepPlan.dataset(autotag: true).steps == [
        .adopt, .index, .autotagZip, .waitForResult, .extract, .normalize, .review, .finalCleanup, .finalZip, .done,
    ])
    #expect(StepPlan.fromReviewed.steps.first == .adopt)
    #expect(StepPlan.fromReviewed.step(after: .index) == .finalCleanup)
}

@Test func reviewWaitsForTheUserAndResumeContinues() {
    var machine = JobStateMachine(plan: .dataset(autotag: false), status: .running, step: .review)
    #expect(machine.event(.stepFinished(.review, .wait("touch RESUME"))) == .waitForUser("touch RESUME"))
    #expect(machine.status == .waitingManual)
    #expect(machine.pendingAction == .waitForUser("touch RESUME"))
    #expect(machine.event(.resume) == .runStep(.review))
    #expect(machine.status == .running)
    #expect(machine.event(.stepFinished(.review, .success)) == .runStep(.finalCleanup))
}

@Test func externalWaitIsWaitingDownload() {
    var machine = JobStateMachine(plan: .dataset(autotag: true), status: .running, step: .waitForResult)
    #expect(machine.event(.stepFinished(.waitForResult, .wait("no zip yet"))) == .waitForFile("no zip yet"))
    #expect(machine.status == .waitingDownload)
}

@Test func pauseKeepsTheStatusToReturnTo() {
    var machine = JobStateMachine(plan: .dataset(autotag: false), status: .waitingManual, step: .review, waitReason: "x")
    #expect(machine.event(.pause) == .none)
    #expect(machine.status == .paused)
    #expect(machine.pendingAction == .none)
    #expect(machine.event(.resume) == .waitForUser("x"))
    #expect(machine.status == .waitingManual)
}

@Test func failedJobRetriesTheSameStep() {
    var machine = JobStateMachine(plan: .dataset(autotag: false), status: .running, step: .index)
    #expect(machine.event(.stepFinished(.index, .fail("no images found in /x"))) == .fail("no images found in /x"))
    #expect(machine.status == .failed)
    #expect(machine.event(.resume) == .none)
    #expect(machine.event(.retry) == .runStep(.index))
    #expect(machine.failure == nil)
}

@Test func stoppedJobIgnoresEverythingButRetry() {
    var machine = JobStateMachine(plan: .dataset(autotag: false), status: .running, step: .normalize)
    _ = machine.event(.stop)
    #expect(machine.status == .stopped)
    #expect(machine.event(.stepFinished(.normalize, .success)) == .none)
    #expect(machine.event(.resume) == .none)
    #expect(machine.event(.pause) == .none)
    #expect(machine.event(.retry) == .runStep(.normalize))
}

@Test func aLateResultForAnotherStepIsIgnored() {
    var machine = JobStateMachine(plan: .dataset(autotag: false), status: .running, step: .normalize)
    #expect(machine.event(.stepFinished(.index, .success)) == .none)
    #expect(machine.step == .normalize)
}
