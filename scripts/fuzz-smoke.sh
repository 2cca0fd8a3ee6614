#!/usr/bin/env bash
# CI smoke run of every fuzz target: builds each and fuzzes it for SECONDS (default 20) from the seed corpus,
# so the targets keep building and the corpus keeps passing. Exits non-zero on a build failure or a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
mkdir -p .build/fuzz
for target in $(scripts/fuzz.sh list); do
  log=.build/fuzz/smoke-$target.log
  echo "== fuzz $target (${seconds}s)" >&2
  if ! scripts/fuzz.sh "$target" "$seconds" > "$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzz $target failed (log: $log)" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$log" >&2 || true
done
