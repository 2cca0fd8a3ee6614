#!/usr/bin/env bash
# End to end: `sluice run ROOT --once` on a 300-image example-style dataset (no auto-tagger, review approved
# automatically), from inbox/ to the final zip, beside `zip -r` of the same folder. Give one or more sluice binaries
# (release builds) to compare, e.g. main's and this branch's:
#   Benchmarks/end-to-end/compare-builds.sh .build/release/sluice /tmp/sluice-main/.build/release/sluice
# Prints the median wall time of RUNS runs (default 5) for each. The dataset is cached in Benchmarks/.data/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
images="${IMAGES:-300}"
runs="${RUNS:-5}"
[ $# -ge 1 ] || set -- "$repo/.build/release/sluice"

data="$repo/Benchmarks/.data/end-to-end-$images"
if [ ! -f "$data/.complete" ]; then
    venv="$repo/Benchmarks/.data/venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -c "import PIL" 2>/dev/null || "$venv/bin/pip" install --quiet pillow
    rm -rf "$data"
    "$venv/bin/python" "$here/make_dataset.py" "$data/mika" "$images"
    touch "$data/.complete"
fi
size=$(du -sm "$data/mika" | cut -f1)

# Median of the wall times (seconds) a command prints one per line.
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }

work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-e2e.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "end to end: $images images ($size MB), median of $runs runs"

for sluice in "$@"; do
    times=()
    for _ in $(seq "$runs"); do
        root="$work/root"
        rm -rf "$root"
        "$sluice" init "$root" >/dev/null
        cp "$repo/examples/sluice.yaml" "$root/sluice.yaml"
        cp -r "$data/mika" "$root/inbox/"
        start=$(now)
        "$sluice" run "$root" --once >/dev/null 2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
        end=$(now)
        ls "$root"/final/*.zip >/dev/null
        times+=("$(awk "BEGIN { print $end - $start }")")
    done
    printf '  %-60s %6.2f s\n' "sluice run --once ($sluice)" "$(printf '%s\n' "${times[@]}" | median)"
done

times=()
for _ in $(seq "$runs"); do
    rm -f "$work/peer.zip"
    start=$(now)
    (cd "$data" && zip -q -r "$work/peer.zip" mika)
    end=$(now)
    times+=("$(awk "BEGIN { print $end - $start }")")
done
printf '  %-60s %6.2f s\n' "zip -r (peer, the same folder)" "$(printf '%s\n' "${times[@]}" | median)"
