#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Suites run one at a time: several start real daemons, inotify watchers and loopback servers, and on two
# cores running them side by side starves the timing-sensitive ones.
swift test --no-parallel "$@"
