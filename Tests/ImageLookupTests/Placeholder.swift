import Testing

// Placeholder: delete when this module gets real tests.
@Test func imageLookupPlaceholderBuilds() { #expect(Bool(true)) }
