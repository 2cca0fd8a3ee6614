import Dispatch

/// Runs independent pieces of file work on a fixed number of threads (sized to the cores by the callers).
public enum WorkerPool {
    /// `body(0..<count)` on up to `threads` threads, each taking every `threads`-th index; results in index order.
    /// `body` must only read shared state.
    public static func map<T>(count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
        if count <= 1 || threads <= 1 { return (0..<count).map(body) }
        let workers = min(threads, count)
        return withoutActuallyEscaping(body) { body in
            [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                let shared = SharedSlots(base: buffer.baseAddress!, body: body)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    var index = worker
                    while index < count {
                        (shared.base + index).initialize(to: shared.body(index))
                        index += workers
                    }
                }
                initialized = count
            }
        }
    }

    /// Carries the result buffer and the body into `concurrentPerform`: each worker initializes only its own
    /// indexes and the body only reads what it captured, so sharing them is safe.
    private struct SharedSlots<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
        let body: (Int) -> T
    }
}
