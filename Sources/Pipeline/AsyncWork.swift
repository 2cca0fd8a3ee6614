import Foundation
import Synchronization

/// Async work awaited from a synchronous step. Steps run on their root's own thread (`ThreadExecutor`), which may
/// block; the work itself runs detached on the shared pool, so it never waits for the thread it blocks.
enum AsyncWork {
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        Task.detached {
            do { outcome.finish(.success(try await body())) } catch { outcome.finish(.failure(error)) }
        }
        return try outcome.wait()
    }

    /// The one result of the work, handed from the detached task to the waiting thread.
    private final class Outcome<T: Sendable>: Sendable {
        private let result = Mutex<Result<T, any Error>?>(nil)
        private let done = DispatchSemaphore(value: 0)

        func finish(_ value: Result<T, any Error>) {
            result.withLock { $0 = value }
            done.signal()
        }

        func wait() throws -> T {
            done.wait()
            return try result.withLock { $0! }.get()
        }
    }
}
