#!/usr/bin/env bash
# Generates 100,000 caption files (15–40 tags each, beside empty images) and normalizes copies of them with the
# `anime` preset twice over: with Sluice (bench-normalize, release build) and with the Python peer
# (peer_normalize.py). Prints wall time and peak memory for both, for the rules alone (read + normalize in
# memory) and end to end (plus backups and atomic rewrites), then checks that both wrote the same captions.
#
#   Benchmarks/bench-normalize/run.sh [COUNT]       (COUNT defaults to 100000)
#
# The files go to a folder under $BENCH_DIR, or /dev/shm when it exists (tmpfs, so the figures measure the
# code rather than the disk's fsync latency), or else the system temp folder. It is removed afterwards.
set -euo pipefail
count="${1:-100000}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
base="${BENCH_DIR:-}"
if [ -z "$base" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then base=/dev/shm; else base="${TMPDIR:-/tmp}"; fi
fi
work="$(mktemp -d "$base/sluice-bench-normalize.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "Building bench-normalize (release)…" >&2
(cd "$repo" && swift build -c release --product bench-normalize >/dev/null)
bench="$(cd "$repo" && swift build -c release --show-bin-path)/bench-normalize"
preset="$repo/presets/anime.json"

echo "Generating $count captions in $work/source…" >&2
python3 "$here/generate_captions.py" "$work/source" "$count" "$preset"

run() {  # name, label, command…: prints the program's own line and /usr/bin/time's figures; keeps the wall time
  local name="$1" label="$2"; shift 2
  /usr/bin/time -f "$label: %e s wall, %U s user + %S s sys CPU, %M KiB peak RSS" -o "$work/time.txt" "$@" | tee "$work/$name.out"
  cat "$work/time.txt"
  grep -o '[0-9.]* s wall' "$work/time.txt" | cut -d' ' -f1 > "$work/$name.wall"
}

ratio() {  # a b: a / b with one decimal
  python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$1" "$2"
}

rules_seconds() {  # file, field: the rules wall time or CPU time printed by either program
  python3 -c "import re, sys; m = re.search(r'rules ([0-9.]+) s \(([0-9.]+) s CPU\)', open(sys.argv[1]).read()); print(m.group(int(sys.argv[2])))" "$1" "$2"
}

cp -a "$work/source" "$work/swift"
cp -a "$work/source" "$work/python"
sync
echo
echo "== rules alone (scan, read, normalize in memory; nothing written) =="
run swift-engine "swift " "$bench" "$work/swift" --preset "$preset" --engine-only
run python-engine "python" python3 "$here/peer_normalize.py" "$work/python" --preset "$preset" --engine-only
echo
echo "== end to end (plus a backup and an atomic rewrite of every changed caption) =="
run swift-full "swift " "$bench" "$work/swift" --preset "$preset"
run python-full "python" python3 "$here/peer_normalize.py" "$work/python" --preset "$preset"
echo
echo "Sluice vs Python, same files, same machine ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)):"
echo "  rules alone:   $(ratio "$(rules_seconds "$work/python-engine.out" 1)" "$(rules_seconds "$work/swift-engine.out" 1)")x faster wall, $(ratio "$(rules_seconds "$work/python-engine.out" 2)" "$(rules_seconds "$work/swift-engine.out" 2)")x less CPU"
echo "  read + rules:  $(ratio "$(cat "$work/python-engine.wall")" "$(cat "$work/swift-engine.wall")")x faster wall"
echo "  end to end:    $(ratio "$(cat "$work/python-full.wall")" "$(cat "$work/swift-full.wall")")x faster wall"
if diff -rq -x .sluice-backups "$work/swift" "$work/python" >/dev/null && diff -rq "$work/swift/.sluice-backups" "$work/python/.sluice-backups" >/dev/null; then
  echo "same output: both wrote identical captions and backups."
else
  echo "DIFFERENT output between Sluice and the Python peer:" >&2
  diff -r -x .sluice-backups "$work/swift" "$work/python" | head -20 >&2
  exit 1
fi
