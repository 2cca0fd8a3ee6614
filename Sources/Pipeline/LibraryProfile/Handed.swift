/// Hands a non-Sendable value (the library run) to the detached task of `AsyncWork.wait`.
/// Safe as `@unchecked Sendable`: the step's thread blocks in `AsyncWork.wait` while the task uses the value, so one
/// thread at a time touches it.
final class Handed<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
