#!/usr/bin/env bash
# How a dataset job scales: `sluice run ROOT --once` (no autotag, review auto-approved) on 1,000 / 10,000 / 100,000
# small generated images (~256 x 192 px JPEG/PNG/WebP with captions): wall time, time per 1,000 images and peak RSS
# (GNU time), beside the naive `cp -r` + `sha256sum` + `zip -r` script on the same folder.
#
#   Benchmarks/end-to-end/scale.sh [COUNT…]      (default 1000 10000; 100000 works, ~2.5 GB of disk)
#   SLUICE=path uses that binary instead of a release build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="$repo/Benchmarks/.data"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000)
mkdir -p "$data"

if [ -z "${SLUICE:-}" ]; then
  (cd "$repo" && swift build -j 1 -c release --product sluice >/dev/null)
  SLUICE="$(cd "$repo" && swift build -c release --show-bin-path)/sluice"
fi
venv="$data/venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pillow
fi

for count in "${counts[@]}"; do
  source="$data/scale-$count/dataset"
  if [ ! -f "$data/scale-$count/.complete" ]; then
    echo "Generating $count small images in $source…" >&2
    rm -rf "$data/scale-$count"
    "$venv/bin/python" "$here/generate_dataset.py" "$source" "$count" 0.25
    touch "$data/scale-$count/.complete"
  fi
  work="$data/scale-work"
  rm -rf "$work"
  mkdir -p "$work/peer"
  root="$work/root"
  "$SLUICE" init "$root" >/dev/null
  sed -i -e 's/autotag: civitai/autotag: off/' -e 's/auto_approve_review: false/auto_approve_review: true/' \
    -e 's/settle_ms: 2000/settle_ms: 200/' "$root/sluice.yaml"
  cp -a "$source" "$work/staging-dataset"
  sync
  mv "$work/staging-dataset" "$root/inbox/dataset"
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$SLUICE" run "$root" --once > "$work/sluice.log" 2>&1
  end=$(date +%s.%N)
  ls "$root/final/"*.zip >/dev/null
  sluice_s=$(python3 -c "print(f'{$end - $start:.2f}')")
  rss_mb=$(( $(cat "$work/rss") / 1024 ))
  sync
  start=$(date +%s.%N)
  cp -r "$source" "$work/peer/dataset"
  (cd "$work/peer" && find dataset -type f -print0 | xargs -0 sha256sum > manifest.sha256 && zip -q -r dataset.zip dataset)
  end=$(date +%s.%N)
  peer_s=$(python3 -c "print(f'{$end - $start:.2f}')")
  echo "$count small images ($(du -sm "$source" | cut -f1) MB, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)):" \
    "sluice ${sluice_s} s ($(python3 -c "print(f'{1000 * $sluice_s / $count:.2f}')") s per 1,000 images, peak RSS ${rss_mb} MB)" \
    "vs cp -r + sha256sum + zip -r ${peer_s} s: $(python3 -c "print(f'{$peer_s / $sluice_s:.2f}')")x"
  rm -rf "$work"
done
