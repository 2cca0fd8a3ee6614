import Foundation
import Jobs
import Testing

/// The engine's decisions outside steps, as a pure function of a job's facts and an event.
@Suite struct JobDecisionsTests {
    static func job(at step: Step, status: JobStatus, plan: StepPlan = .dataset(autotag: true)) -> Job {
        var job = Job(id: "j1", dataset: "d", origin: "inbox/d", plan: plan, configSnapshot: "{}", now: Date(timeIntervalSince1970: 0))
        job.machine = JobStateMachine(plan: plan, status: status, step: step, waitReason: status == .running ? nil : "waiting")
        return job
    }

    @Test func resumeInReviewApprovesAndRuns() {
        let (job, lines) = JobDecisions.decide(Self.job(at: .review, status: .waitingManual), .control(.resume, origin: "cli"))
        #expect(job.artifacts.reviewApproved == true)
        #expect(job.status == .running)
        #expect(lines.first?.message.contains("WAITING_MANUAL → RUNNING") == true)
    }

    @Test func markersOnlyCountForAJobWaitingInReview() {
        let running = Self.job(at: .normalize, status: .running)
        let (same, lines) = JobDecisions.decide(running, .reviewApproved(origin: "RESUME"))
        #expect(same == running && lines.isEmpty)
    }

    @Test func aWaitTimesOutOnlyAfterTheLimit() {
        var waiting = Self.job(at: .waitForResult, status: .waitingDownload)
        waiting.artifacts.waitStartedAt = Date(timeIntervalSince1970: 1000)
        let early = JobDecisions.decide(waiting, .tick(now: Date(timeIntervalSince1970: 1000 + 299), resultTimeout: 300))
        #expect(early.job.status == .waitingDownload && early.lines.isEmpty)
        let late = JobDecisions.decide(waiting, .tick(now: Date(timeIntervalSince1970: 1000 + 301), resultTimeout: 300))
        #expect(late.job.status == .failed)
        #expect(late.job.machine.failure?.contains("No downloaded zip detected within 5 minutes") == true)
    }

    @Test func retryOfATimedOutWaitStartsANewWait() {
        var failed = Self.job(at: .waitForResult, status: .waitingDownload)
        failed.artifacts.waitStartedAt = Date(timeIntervalSince1970: 0)
        failed = JobDecisions.decide(failed, .tick(now: Date(timeIntervalSince1970: 1000), resultTimeout: 10)).job
        let (retried, _) = JobDecisions.decide(failed, .control(.retry, origin: "cli"))
        #expect(retried.status == .running)
        #expect(retried.artifacts.waitStartedAt == nil)
    }

    @Test func aTakenResultResumesTheWaitingJob() {
        let (job, lines) = JobDecisions.decide(
            Self.job(at: .waitForResult, status: .waitingDownload), .resultTaken(zip: "/j/result.zip", origin: "/dl/a.zip", summary: "matched"))
        #expect(job.status == .running && job.artifacts.resultZip == "/j/result.zip" && job.artifacts.resultZipOrigin == "/dl/a.zip")
        #expect(lines == [JobDecisions.Line(level: .info, message: "matched")])
    }

    @Test func legacyStringFlagsBecomeTypedFacts() throws {
        var artifacts = Job.Artifacts()
        artifacts.extras = ["reviewApproved": "yes", "wait_started_at": "2026-01-02T03:04:05Z", "unmatchedResultFiles": "a.png\nb.png"]
        artifacts.adoptLegacyExtras()
        #expect(artifacts.reviewApproved == true)
        #expect(artifacts.waitStartedAt == ISO8601DateFormatter().date(from: "2026-01-02T03:04:05Z"))
        #expect(artifacts.unmatchedResultFiles == ["a.png", "b.png"])
        #expect(artifacts.extras == nil)
    }
}
