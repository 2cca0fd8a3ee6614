import Dispatch
import Foundation

/// Runs independent pieces of work on every core and returns their results in order.
enum ParallelWork {
    /// Carries the result buffer and the body into `concurrentPerform`: each iteration touches only its own
    /// slot, and the body only reads what it captured, so sharing them is safe.
    private struct Shared<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
        let body: (Int) -> T
    }

    /// `body(0..<count)` in parallel; results in index order, so callers stay deterministic.
    /// `body` must only read shared state.
    static func map<T>(count: Int, _ body: (Int) -> T) -> [T] {
        if count <= 1 { return (0..<count).map(body) }
        return withoutActuallyEscaping(body) { body in
            [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                let shared = Shared(base: buffer.baseAddress!, body: body)
                DispatchQueue.concurrentPerform(iterations: count) { index in
                    (shared.base + index).initialize(to: shared.body(index))
                }
                initialized = count
            }
        }
    }

    /// `body(0..<count)` on `threads` threads of its own, for work that mostly waits (fsync): more waits in flight
    /// let the file system commit them together. Results in index order.
    static func mapBlocking<T>(count: Int, threads: Int, _ body: @escaping (Int) -> T) -> [T] {
        if count <= 1 || threads <= 1 { return (0..<count).map(body) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // A thread may release its closure after `leave()`; the closure only holds the pointer, never uses it then.
            let shared = Shared(base: buffer.baseAddress!, body: body)
            let next = NextIndex()
            let done = DispatchGroup()
            for _ in 0..<min(threads, count) {
                done.enter()
                Thread.detachNewThread {
                    while let index = next.take(below: count) {
                        (shared.base + index).initialize(to: shared.body(index))
                    }
                    done.leave()
                }
            }
            done.wait()
            initialized = count
        }
    }

    /// Hands out indexes 0, 1, 2… to worker threads.
    private final class NextIndex: @unchecked Sendable {
        // Safe: `value` is only touched with `lock` held.
        private let lock = NSLock()
        private var value = 0

        func take(below limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }

    /// Splits `0..<total` into about `pieces` contiguous ranges of at least `minimum` elements.
    static func ranges(total: Int, pieces: Int, minimum: Int) -> [Range<Int>] {
        guard total > 0 else { return [] }
        let size = max(minimum, (total + pieces - 1) / max(pieces, 1))
        return stride(from: 0, to: total, by: size).map { $0..<min($0 + size, total) }
    }
}
