import Testing

// Placeholder: delete when this module gets real tests.
@Test func exifMetadataPlaceholderBuilds() { #expect(Bool(true)) }
