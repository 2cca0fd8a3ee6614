import Testing

// Placeholder: delete when this module gets real tests.
@Test func folderWatchPlaceholderBuilds() { #expect(Bool(true)) }
