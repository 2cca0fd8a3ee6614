#!/usr/bin/env bash
# The dataset job end to end: `sluice run ROOT --once` (no autotag, review auto-approved: index, normalize, final
# cleanup, final zip) beside the naive script a user would write (`cp -r` + `sha256sum` + `zip -r`), on the same
# generated ~1 MP JPEG/PNG/WebP images with captions. Runs alternate, RUNS times each; medians are compared.
#
#   Benchmarks/end-to-end/run.sh [COUNT…]        (COUNT defaults to 300 3000; 10000 works too)
#   RUNS=3 (default) runs of each contender per COUNT; SLUICE=path uses that binary instead of a release build;
#   BENCH_DATA=folder keeps the generated data there (default Benchmarks/.data).
#
# The timing loop is `lib.sh`'s, shared with `scale.sh`. Datasets are generated once and cached (generate_dataset.py
# says how: a few hundred distinct images, the rest byte-distinct copies of them).
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(300 3000)
for count in "${counts[@]}"; do
  bench_compare "~1 MP images" "$count" "$(bench_dataset "e2e-$count" "$count" 1)" "${RUNS:-3}"
done
