#!/usr/bin/env bash
# Generates COUNT caption files (15–40 tags each, beside empty images) and normalizes copies of them with the
# `anime` preset: Sluice (bench-normalize, release build, the real `sluice normalize` path) beside two Python
# passes (peer_normalize.py): a plain one with no fsync (captions overwritten in place) and one with Sluice's
# durability (backup and caption each written with fsync + rename). Each is run RUNS times, alternating, on fresh
# copies of the same files; the medians are compared. Also prints the rules alone (read + normalize in memory)
# and checks that all three wrote the same captions and backups.
#
#   Benchmarks/bench-normalize/run.sh [COUNT] [RUNS]     (COUNT defaults to 20000, RUNS to 3)
#
# The files go under $BENCH_DIR, else the system temp folder: a real disk file system (ext4 here), since the
# figures include fsync. They are removed afterwards.
set -euo pipefail
count="${1:-20000}"
runs="${2:-3}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
base="${BENCH_DIR:-${TMPDIR:-/tmp}}"
work="$(mktemp -d "$base/sluice-bench-normalize.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "Building bench-normalize (release)…" >&2
(cd "$repo" && swift build -j 1 -c release --product bench-normalize >/dev/null)
bench="$(cd "$repo" && swift build -c release --show-bin-path)/bench-normalize"
preset="$repo/presets/anime.json"

echo "Generating $count captions in $work/source ($(df -T --output=fstype "$work" | tail -1 | tr -d " ") file system)…" >&2
python3 "$here/generate_captions.py" "$work/source" "$count" "$preset"

run() {  # name, label, command…: prints the program's own line and /usr/bin/time's figures; appends the wall time
  local name="$1" label="$2"; shift 2
  /usr/bin/time -f "$label: %e s wall, %U s user + %S s sys CPU, %M KiB peak RSS" -o "$work/time.txt" "$@" | tee "$work/$name.out"
  cat "$work/time.txt"
  grep -o '[0-9.]* s wall' "$work/time.txt" | cut -d' ' -f1 >> "$work/$name.walls"
}

median() {  # file of numbers: the median
  sort -g "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

ratio() {  # a b: a / b with one decimal
  python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$1" "$2"
}

rules_seconds() {  # file, field: the rules wall time or CPU time printed by either program
  python3 -c "import re, sys; m = re.search(r'rules ([0-9.]+) s \(([0-9.]+) s CPU\)', open(sys.argv[1]).read()); print(m.group(int(sys.argv[2])))" "$1" "$2"
}

fresh() {  # name: a fresh copy of the source, flushed so one run's writeback does not land on the next
  rm -rf "$work/$1"
  cp -a "$work/source" "$work/$1"
  sync
}

echo
echo "== rules alone (scan, read, normalize in memory; nothing written) =="
fresh engine
run swift-engine "swift " "$bench" "$work/engine" --preset "$preset" --engine-only
run python-engine "python" python3 "$here/peer_normalize.py" "$work/engine" --preset "$preset" --engine-only

echo
echo "== end to end, $runs runs each, alternating (backup + rewrite of every changed caption) =="
for run_index in $(seq 1 "$runs"); do
  fresh swift; run swift-full "swift                 " "$bench" "$work/swift" --preset "$preset"
  fresh plain; run python-plain "python, no fsync      " python3 "$here/peer_normalize.py" "$work/plain" --preset "$preset" --no-fsync
  fresh durable; run python-durable "python, fsync+rename " python3 "$here/peer_normalize.py" "$work/durable" --preset "$preset"
done

swift_median="$(median "$work/swift-full.walls")"
plain_median="$(median "$work/python-plain.walls")"
durable_median="$(median "$work/python-durable.walls")"
echo
echo "Sluice vs Python, same files, same machine ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)), medians of $runs:"
echo "  rules alone:   $(ratio "$(rules_seconds "$work/python-engine.out" 1)" "$(rules_seconds "$work/swift-engine.out" 1)")x faster wall, $(ratio "$(rules_seconds "$work/python-engine.out" 2)" "$(rules_seconds "$work/swift-engine.out" 2)")x less CPU"
echo "  end to end:    Sluice ${swift_median} s; Python no fsync ${plain_median} s ($(ratio "$plain_median" "$swift_median")x); Python fsync+rename ${durable_median} s ($(ratio "$durable_median" "$swift_median")x)"
same=1
for peer in plain durable; do
  if ! diff -rq -x .sluice-backups "$work/swift" "$work/$peer" >/dev/null || ! diff -rq "$work/swift/.sluice-backups" "$work/$peer/.sluice-backups" >/dev/null; then
    same=0
    echo "DIFFERENT output between Sluice and the Python peer ($peer):" >&2
    diff -r -x .sluice-backups "$work/swift" "$work/$peer" | head -20 >&2
  fi
done
if [ "$same" = 1 ]; then echo "same output: all three wrote identical captions and backups."; else exit 1; fi
