import Testing

// Placeholder: delete when this module gets real tests.
@Test func systemIOPlaceholderBuilds() { #expect(Bool(true)) }
