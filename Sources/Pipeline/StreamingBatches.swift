import Foundation

/// Maps inputs on worker threads that never wait for a batch to finish, while the calling thread records the
/// finished results in batches: recording (a checkpoint's fsync) overlaps the next inputs' work, and no core idles
/// at a batch boundary waiting for the batch's slowest input.
///
/// At most `window` inputs are ever started and not yet recorded, so a kill -9 redoes at most `window` of them.
enum StreamingBatches {
    /// Transforms every input on `workers` threads and hands the results to `record` on the calling thread, in the
    /// order they finished, about `window / 2` at a time (fewer at the end). Stops early, without starting more
    /// inputs, when `isCancelled` says so or `record` throws; returns whether every input was recorded.
    /// - Throws: what `record` threw, once every worker has stopped.
    static func run<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], workers: Int, window: Int,
        transform: @escaping @Sendable (Input) -> Output,
        isCancelled: () -> Bool,
        record: ([(input: Input, output: Output)]) throws -> Void
    ) throws -> Bool {
        guard !inputs.isEmpty else { return true }
        let state = SharedState<Output>(count: inputs.count, window: max(1, window))
        let threads = max(1, min(workers, inputs.count))
        for _ in 0..<threads {
            let thread = Thread {
                while let index = state.claim() { state.finish(index, transform(inputs[index])) }
                state.workerEnded()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        let flushSize = max(1, window / 2)
        do {
            while let finished = state.takeFinished(atLeast: flushSize, isCancelled: isCancelled) {
                try record(finished.map { (inputs[$0.index], $0.output) })
                state.recorded(finished.count)
            }
        } catch {
            state.stop()
            state.waitForWorkers(threads)
            throw error
        }
        state.stop()
        state.waitForWorkers(threads)
        return state.allRecorded
    }

    /// The hand-over between the workers and the recording thread.
    private final class SharedState<Output>: @unchecked Sendable {
        // Safe: every mutable field is only touched with `condition` locked.
        private let condition = NSCondition()
        private let count: Int
        private let window: Int
        private var next = 0
        private var running = 0
        private var finished: [(index: Int, output: Output)] = []
        /// Results handed to the recording thread and not yet reported recorded.
        private var recording = 0
        private var recordedCount = 0
        private var stopped = false
        private var endedWorkers = 0

        init(count: Int, window: Int) {
            self.count = count
            self.window = window
        }

        /// The next input for a worker, once fewer than `window` are started and unrecorded; nil when there is none
        /// or the run stopped.
        func claim() -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while !stopped && next < count && running + finished.count + recording >= window { condition.wait() }
            guard !stopped, next < count else { return nil }
            defer { next += 1 }
            running += 1
            return next
        }

        func finish(_ index: Int, _ output: Output) {
            condition.lock()
            running -= 1
            finished.append((index, output))
            condition.broadcast()
            condition.unlock()
        }

        func workerEnded() {
            condition.lock()
            endedWorkers += 1
            condition.broadcast()
            condition.unlock()
        }

        /// Waits until `minimum` results are finished (or all that will be) and takes them; nil when nothing is left
        /// to record or the run is cancelled. Cancellation is polled four times a second while waiting.
        func takeFinished(atLeast minimum: Int, isCancelled: () -> Bool) -> [(index: Int, output: Output)]? {
            condition.lock()
            defer { condition.unlock() }
            while true {
                let allDone = (next >= count || stopped) && running == 0
                if finished.count >= minimum || (allDone && !finished.isEmpty) {
                    let taken = finished
                    finished.removeAll(keepingCapacity: true)
                    recording = taken.count
                    return taken
                }
                if allDone { return nil }
                condition.unlock()
                let cancelled = isCancelled()
                condition.lock()
                if cancelled {
                    stopped = true
                    condition.broadcast()
                    continue  // what is running finishes and is recorded, so nothing started is lost
                }
                _ = condition.wait(until: Date().addingTimeInterval(0.25))
            }
        }

        func recorded(_ amount: Int) {
            condition.lock()
            recording = 0
            recordedCount += amount
            condition.broadcast()
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }

        func waitForWorkers(_ workers: Int) {
            condition.lock()
            while endedWorkers < workers { condition.wait() }
            condition.unlock()
        }

        var allRecorded: Bool {
            condition.lock()
            defer { condition.unlock() }
            return recordedCount == count
        }
    }
}
