import Foundation

/// Runs async work to its end from a synchronous step. The engine's steps are synchronous and run on the root's own
/// thread; the library stages are async (the lookup session is an actor), so the step blocks its thread (never a
/// shared cooperative one) until a detached task has done the work.
enum BlockingTask {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try outcome.result!.get()
    }
}

/// Carries one result out of the detached task. Unchecked Sendable: written once by the task before it signals the
/// semaphore, read only after the wait returns, so the two accesses never overlap.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// Hands a non-Sendable value (the library run) to the detached task. Unchecked Sendable: the step's thread blocks
/// in `BlockingTask.run` while the task uses it, so one thread at a time touches it.
final class Handed<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
