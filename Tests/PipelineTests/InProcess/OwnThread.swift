import Pipeline

/// Runs a test's blocking engine work on a thread of its own, as the daemon does, so it never holds one of the
/// shared cooperative threads the other suites (and their deadlines) need.
func onOwnThread<T>(_ body: () async throws -> T) async throws -> T {
    let executor = ThreadExecutor(name: "sluice-test")
    defer { executor.shutdown() }
    return try await withTaskExecutorPreference(executor, operation: body)
}
