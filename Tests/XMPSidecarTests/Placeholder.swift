import Testing

// Placeholder: delete when this module gets real tests.
@Test func xMPSidecarPlaceholderBuilds() { #expect(Bool(true)) }
