import Testing

/// Tests on real inotify and real temp folders, run one at a time: some lower a per-user inotify limit for a moment.
@Suite(.serialized) enum InotifyIntegration {}
