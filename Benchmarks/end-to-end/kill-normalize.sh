#!/usr/bin/env bash
# kill -9 of a dataset job in the normalize step (F) once part of its captions are recorded, then a restart: counts
# the captions the restart wrote again (the goal is at most one batch, 2,000) and sets its step F time beside an
# uninterrupted run's on the same dataset.
#
#   Benchmarks/end-to-end/kill-normalize.sh [COUNT] [FRACTION]   (default 10000 small images, killed at 0.5 written)
#   SLUICE=path uses that binary instead of a release build; BENCH_DATA=folder keeps the generated data there.
#
# The job's progress record (normalize.progress.json) says how many captions were written durably at the kill; the
# captions in the staging folder at the kill beyond that are the ones the restart writes again. Exits non-zero when
# more than one batch was redone, the restart did not resume, or the final zip is not whole.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
count="${1:-10000}"
fraction="${2:-0.5}"
source_folder="$(bench_dataset "scale-$count" "$count" 0.25)"
work="$data/kill-normalize-$$"
root="$work/root"

step_f() {  # the job's step F wall seconds, from the job file
  python3 -c "
import json, sys, glob
job = json.load(open(glob.glob(sys.argv[1] + '/.sluice/jobs/*/job.json')[0]))
print(next((f\"{t['seconds']:.1f}\" for t in job.get('step_times', []) if t['step'] == 'normalize'), 'none'))" "$root"
}

# The uninterrupted run, for its step F time.
prepare_root "$source_folder" "$work"
"$SLUICE" run "$root" --once > "$work/reference.log" 2>&1
reference_f=$(step_f)

prepare_root "$source_folder" "$work"
"$SLUICE" run "$root" --once > "$work/first.log" 2>&1 &
first=$!
target=$(calc "int($count * $fraction)")
deadline=$(( $(date +%s) + 3600 ))
written=0
while :; do
  record="$(ls "$root"/.sluice/jobs/*/normalize.progress.json 2>/dev/null | head -1 || true)"
  if [ -n "$record" ]; then
    written=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('captionsWritten', 0))" "$record" 2>/dev/null || echo 0)
    [ "$written" -ge "$target" ] && break
  fi
  [ "$(date +%s)" -lt "$deadline" ] || { echo "step F never recorded $target captions" >&2; kill -9 "$first"; exit 1; }
  kill -0 "$first" 2>/dev/null || { echo "sluice ended before the kill; log:" >&2; tail "$work/first.log" >&2; exit 1; }
  sleep 0.05
done
kill -9 "$first"
wait "$first" || true
staging="$(ls -d "$root"/.sluice/jobs/*/work/normalized.staging)"
recorded=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['captionsWritten'])" "$(ls "$root"/.sluice/jobs/*/normalize.progress.json)")
staged=$(find "$staging" -name '*.txt' | wc -l)

start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$work/rss" "$SLUICE" run "$root" --once > "$work/restart.log" 2>&1
end=$(date +%s.%N)
resumed=$(python3 -c "
import json, sys, glob
job = json.load(open(glob.glob(sys.argv[1] + '/.sluice/jobs/*/job.json')[0]))
print(next((e['message'] for e in job['log'] if e['message'].startswith('resumed normalize')), 'did not resume'))" "$root")
restart_f=$(step_f)
zip="$(ls "$root"/final/*.zip)"
images=$(unzip -Z1 "$zip" | grep -ciE '\.(jpg|png|webp)$')
unzip -tq "$zip" >/dev/null
redone=$(( staged - recorded ))
echo "kill -9 in step F with $staged captions staged, $recorded recorded: the restart ($resumed) wrote $redone again" \
  "(batch 2000); step F took $restart_f s on the restart vs $reference_f s uninterrupted; the restart's run" \
  "$(calc "f'{$end - $start:.1f}'") s, peak RSS $(( $(tail -1 "$work/rss") / 1024 )) MB; final zip $images images, unzip -t ok"
rm -rf "$work"
[ "$redone" -le 2000 ] && [ "$resumed" != "did not resume" ] && [ "$images" = "$count" ]
