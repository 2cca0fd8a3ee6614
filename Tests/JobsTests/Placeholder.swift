import Testing

// Placeholder: delete when this module gets real tests.
@Test func jobsPlaceholderBuilds() { #expect(Bool(true)) }
