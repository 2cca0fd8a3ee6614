import Testing

// Placeholder: delete when this module gets real tests.
@Test func tagNormalizationPlaceholderBuilds() { #expect(Bool(true)) }
