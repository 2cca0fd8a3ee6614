import Testing

// Placeholder: delete when this module gets real tests.
@Test func pipelinePlaceholderBuilds() { #expect(Bool(true)) }
