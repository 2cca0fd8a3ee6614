#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The WD14 analyzer's own tests (Python, a tiny generated ONNX model); they also make the venv that lets the Swift
# suite run the real analyzer through the protocol (WD14AnalyzerTests).
analyzers/wd14/run_tests.sh
# Suites run one at a time: several start real daemons, inotify watchers and loopback servers, and on two
# cores running them side by side starves the timing-sensitive ones.
swift test --no-parallel "$@"
