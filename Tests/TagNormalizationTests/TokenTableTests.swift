import Testing
@testable import TagNormalization

@Suite struct TokenTableTests {
    @Test func storedTokensAreFoundByTheirBytesThroughGrowth() {
        var table = TokenTable<Int>()
        let tokens = (0..<5000).map { "tag \($0)" } + ["", "a", "ab", " ab", "ab "]
        for (index, token) in tokens.enumerated() {
            var bytes = Array(token.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                #expect(table.value(for: buffer) == nil)
                table.insert(index, for: buffer)
            }
            _ = bytes.popLast()
        }
        for (index, token) in tokens.enumerated() {
            Array(token.utf8).withUnsafeBufferPointer { #expect(table.value(for: $0) == index) }
        }
        Array("tag 5000".utf8).withUnsafeBufferPointer { #expect(table.value(for: $0) == nil) }
    }
}
