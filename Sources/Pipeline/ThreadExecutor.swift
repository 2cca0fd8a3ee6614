import Foundation

/// A task executor with a thread of its own: a root's steps block on file I/O for minutes, and must not hold one of
/// the few shared cooperative threads the watchers and the signal reader need meanwhile. Child tasks inherit it.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    // Safe: `jobs` and `running` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var running = true

    public init(name: String) {
        let thread = Thread { [self] in drain() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: UnownedJob) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    /// Ends the thread once the jobs already queued have run.
    public func shutdown() {
        condition.withLock {
            running = false
            condition.signal()
        }
    }

    private func drain() {
        while true {
            condition.lock()
            while jobs.isEmpty && running { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
