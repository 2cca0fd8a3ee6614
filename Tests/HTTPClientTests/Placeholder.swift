import Testing

// Placeholder: delete when this module gets real tests.
@Test func httpClientPlaceholderBuilds() { #expect(Bool(true)) }
