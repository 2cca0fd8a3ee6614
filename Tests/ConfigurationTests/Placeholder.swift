import Testing

// Placeholder: delete when this module gets real tests.
@Test func configurationPlaceholderBuilds() { #expect(Bool(true)) }
