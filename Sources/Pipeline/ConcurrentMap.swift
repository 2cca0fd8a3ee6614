import Dispatch

/// Maps a batch on every core, keeping the input order.
enum ConcurrentMap {
    static func map<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ transform: @Sendable (Input) -> Output) -> [Output] {
        let results = ResultSlots<Output>(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
            results.set(index, transform(inputs[index]))
        }
        return results.values()
    }
}

/// One slot per input, each written by exactly one iteration.
private final class ResultSlots<Output>: @unchecked Sendable {
    // Safe: each index is written by exactly one iteration, and `values()` reads only after all of them ended.
    private var slots: [Output?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Output) { slots.withUnsafeMutableBufferPointer { $0[index] = value } }
    func values() -> [Output] { slots.map { $0! } }
}
