import Testing

// Placeholder: delete when this module gets real tests.
@Test func imagingPlaceholderBuilds() { #expect(Bool(true)) }
