#!/usr/bin/env bash
# The dataset job end to end: `sluice run ROOT --once` (no autotag, review auto-approved: index, normalize, final
# cleanup, final zip) beside the naive script a user would write (`cp -r` + `sha256sum` + `zip -r`), on the same
# generated ~1 MP JPEG/PNG/WebP images with captions. Runs alternate, RUNS times each; medians are compared.
#
#   Benchmarks/end-to-end/run.sh [COUNT…]        (COUNT defaults to 300 3000; 10000 works too)
#   RUNS=3 (default) runs of each contender per COUNT; SLUICE=path uses that binary instead of a release build.
#
# Datasets are generated once (Python + Pillow in a venv under Benchmarks/.data/) and cached in
# Benchmarks/.data/e2e-COUNT/; each run works on a fresh copy (made before the clock starts) in Benchmarks/.data/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="$repo/Benchmarks/.data"
runs="${RUNS:-3}"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(300 3000)
mkdir -p "$data"

if [ -z "${SLUICE:-}" ]; then
  echo "Building sluice (release)…" >&2
  (cd "$repo" && swift build -j 1 -c release --product sluice >/dev/null)
  SLUICE="$(cd "$repo" && swift build -c release --show-bin-path)/sluice"
fi

venv="$data/venv"
if [ ! -x "$venv/bin/python" ]; then
  echo "Making a Python venv with Pillow in $venv…" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pillow
fi

median() {  # numbers…: the median
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

seconds() {  # command…: runs it, prints its wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$end"
}

naive() {  # source, work: the peer script
  cp -r "$1" "$2/dataset"
  (cd "$2" && sha256sum dataset/* > manifest.sha256 && zip -q -r dataset.zip dataset)
}

sluice_job() {  # root
  "$SLUICE" run "$1" --once > "$1.log" 2>&1
}

for count in "${counts[@]}"; do
  source="$data/e2e-$count/dataset"
  if [ ! -f "$data/e2e-$count/.complete" ]; then
    echo "Generating $count images in $source…" >&2
    rm -rf "$data/e2e-$count"
    "$venv/bin/python" "$here/generate_dataset.py" "$source" "$count"
    touch "$data/e2e-$count/.complete"
  fi
  size="$(du -sm "$source" | cut -f1)"
  peer_times=()
  sluice_times=()
  for run in $(seq 1 "$runs"); do
    work="$data/e2e-work"
    rm -rf "$work"
    mkdir -p "$work/peer"
    # Sluice's root: created, configured and given the drop (a same-file-system rename, as a user's mv) off the clock.
    root="$work/root"
    "$SLUICE" init "$root" >/dev/null
    sed -i -e 's/autotag: civitai/autotag: off/' -e 's/auto_approve_review: false/auto_approve_review: true/' \
      -e 's/settle_ms: 2000/settle_ms: 200/' "$root/sluice.yaml"
    cp -a "$source" "$work/staging-dataset"
    sync
    sleep 1
    mv "$work/staging-dataset" "$root/inbox/dataset"
    sync
    sluice_times+=("$(seconds sluice_job "$root")")
    zip_count="$(ls "$root/final/"*.zip 2>/dev/null | wc -l)"
    [ "$zip_count" = 1 ] || { echo "sluice made no final zip; log:" >&2; tail -20 "$root.log" >&2; exit 1; }
    unzip -tq "$root/final/"*.zip >/dev/null
    sync
    peer_times+=("$(seconds naive "$source" "$work/peer")")
    echo "  $count images, run $run: sluice ${sluice_times[-1]} s, naive ${peer_times[-1]} s" >&2
  done
  rm -rf "$data/e2e-work"
  s="$(median "${sluice_times[@]}")"
  p="$(median "${peer_times[@]}")"
  echo "$count images (${size} MB, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)): sluice run --once ${s} s" \
    "($(python3 -c "print(f'{1000 * $s / $count:.2f}')") ms/image) vs cp -r + sha256sum + zip -r ${p} s:" \
    "$(python3 -c "print(f'{$p / $s:.2f}')")x  [medians of $runs; sluice ${sluice_times[*]}; naive ${peer_times[*]}]"
done
