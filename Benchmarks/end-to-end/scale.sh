#!/usr/bin/env bash
# How a dataset job scales: `sluice run ROOT --once` (no autotag, review auto-approved) on 1,000 / 10,000 / 100,000
# small generated images (~256 x 192 px JPEG/PNG/WebP with captions): wall time, time per 1,000 images and peak RSS
# (GNU time), beside the naive `cp -r` + `sha256sum` + `zip -r` script on the same folder.
#
#   Benchmarks/end-to-end/scale.sh [COUNT…]      (default 1000 10000; 100000 works, ~2.5 GB of disk)
#   RUNS=1 (default) runs of each contender per COUNT; SLUICE=path uses that binary instead of a release build;
#   BENCH_DATA=folder keeps the generated data there (default Benchmarks/.data).
#
# The timing loop is `lib.sh`'s, shared with `run.sh`.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000)
for count in "${counts[@]}"; do
  bench_compare "small images" "$count" "$(bench_dataset "scale-$count" "$count" 0.25)" "${RUNS:-1}"
done
