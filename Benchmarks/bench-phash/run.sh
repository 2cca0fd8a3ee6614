#!/usr/bin/env bash
# Runs bench-phash (release build) with its Python peer (imagehash + Pillow) from a venv this script makes once under
# Benchmarks/.data/phash-venv. Usage: Benchmarks/bench-phash/run.sh [RUNS]   (default 3 runs, each printed whole)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/Benchmarks/.data/phash-venv"
runs="${1:-3}"
if [ ! -x "$venv/bin/python3" ]; then
  echo "Making a Python venv with Pillow and imagehash in $venv…" >&2
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pillow imagehash
fi
cd "$repo"
swift build -c release --product bench-phash >&2
for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs"
  PATH="$venv/bin:$PATH" .build/release/bench-phash
done
