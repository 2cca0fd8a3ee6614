#!/usr/bin/env bash
# What resumability costs the final zip step (I): its wall time (the job's `step_times`) with a durable checkpoint
# every 500 entries, as shipped, beside one chunk for the whole zip (`SLUICE_FINAL_ZIP_BATCH=1000000`, the test hook:
# one fsync at the end, as before the step could resume), alternating, on COUNT small generated images.
#
#   Benchmarks/end-to-end/zip-chunks.sh [COUNT] [ROUNDS]   (default 20000 images, 3 rounds)
#   SLUICE=path uses that binary instead of a release build; BENCH_DATA=folder keeps the generated data there.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
count="${1:-20000}"
rounds="${2:-3}"
source_folder="$(bench_dataset "scale-$count" "$count" 0.25)"
declare -A times
for round in $(seq "$rounds"); do
  for batch in 500 1000000; do
    SLUICE_FINAL_ZIP_BATCH=$batch sluice_once "$source_folder" "$data/zip-chunks-$$"
    step=$(echo "$sluice_steps" | grep -o 'final_zip [0-9.]*' | cut -d' ' -f2)
    times[$batch]="${times[$batch]:-} $step"
    echo "round $round, chunk $batch: step I $step s (whole run $sluice_s s)"
  done
done
echo "step I on $count images, median of $rounds: $(median ${times[500]}) s with a checkpoint per 500 entries," \
  "$(median ${times[1000000]}) s as one chunk"
