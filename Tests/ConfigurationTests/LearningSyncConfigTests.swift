import Configuration
import Testing

@Test func learningAndSyncSectionsAreRead() throws {
    let config = try SluiceConfig.parse(
        """
        learning:
          min_confidence: 0.85
          min_examples: 5
        sync:
          destination: rsync://nas/pics/library
          when: batch
          mirror: true
          max_deletions: 10
          attempts: 2
          bandwidth_limit_kib: 500
        """, file: "sluice.yaml")
    #expect(config.learning.minConfidence == 0.85 && config.learning.minExamples == 5 && config.learning.enabled)
    #expect(config.sync.destination == "rsync://nas/pics/library")
    #expect(config.sync.when == .batch && config.sync.mirror && config.sync.maxDeletions == 10)
    #expect(config.sync.attempts == 2 && config.sync.bandwidthLimitKiB == 500 && config.sync.retryDelaySeconds == 5)
}

@Test func mirrorWithLocalRemovalIsRefusedNamingTheLine() {
    #expect {
        _ = try SluiceConfig.parse("sync:\n  mirror: true\n  remove_local_after_verify: true\n", file: "/r/sluice.yaml")
    } throws: { error in
        "\(error)".contains("/r/sluice.yaml:2") && "\(error)".contains("sync.remove_local_after_verify")
    }
    #expect(throws: ConfigError.self) { try SluiceConfig.parse("learning:\n  min_confidence: 1.5\n", file: "x") }
    #expect(throws: ConfigError.self) { try SluiceConfig.parse("sync:\n  when: hourly\n", file: "x") }
}
