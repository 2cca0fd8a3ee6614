import Testing

// Placeholder: delete when this module gets real tests.
@Test func zipArchivePlaceholderBuilds() { #expect(Bool(true)) }
