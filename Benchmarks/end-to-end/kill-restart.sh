#!/usr/bin/env bash
# kill -9 during the index step (A) of a large dataset job, a restart killed again during the final cleanup (H), a
# third run killed during the final zip (I), then a last run: counts the work each restart redid (the goal is at most
# one batch: `index.batch_size`, 100 by default, for A; the staging writer's 1,000 for H; the zip step's chunk of 500
# entries for I) and reports the last run's wall time and peak RSS.
#
#   Benchmarks/end-to-end/kill-restart.sh [COUNT] [FRACTION]   (default 100000 small images, killed at 0.3 indexed)
#   SLUICE=path uses that binary instead of a release build; BENCH_DATA=folder keeps the generated data there.
#
# The first run is traced (`strace -e openat`) to learn which images it read before the kill; the job's append-only
# index checkpoint (index.partial.jsonl) says which it recorded; the restart reads every image not recorded, so
# redone = read by the first run but not recorded. For H, the images linked into the staging folder at the kill
# against the pairs the restart says it kept. For I, the entries found in the partial zip past the length its
# checkpoint (final-zip.partial.jsonl) recorded: the restart resumes at the recorded entry and writes those again.
# Exits non-zero when more than one batch was redone or the final zip is not whole.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
count="${1:-100000}"
fraction="${2:-0.3}"
source_folder="$(bench_dataset "scale-$count" "$count" 0.25)"
work="$data/kill-work-$$"
root="$work/root"
prepare_root "$source_folder" "$work"
batch=$(sed -n 's/^ *batch_size: *\([0-9]*\).*/\1/p' "$root/sluice.yaml" | head -1)
batch="${batch:-100}"

# Polls CONDITION (a command) until it holds; fails when PID ends first (showing LOG) or after an hour.
wait_until() {  # PID LOG WHAT CONDITION...
  local pid="$1" log="$2" what="$3"
  shift 3
  local deadline=$(( $(date +%s) + 3600 ))
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "$what never happened" >&2; kill -9 "$pid"; exit 1; }
    kill -0 "$pid" 2>/dev/null || { echo "sluice ended before $what; log:" >&2; tail "$log" >&2; exit 1; }
    sleep 0.1
  done
}
# Whether the job's checkpoint file NAME exists (its path then in $found) with at least MIN lines.
checkpoint_has() {  # NAME MIN
  found="$(ls "$root"/.sluice/jobs/*/"$1" 2>/dev/null | head -1 || true)"
  [ -n "$found" ] && [ "$(wc -l < "$found")" -ge "$2" ]
}
# Kills PID (returning true) as soon as the partial zip has grown past the length the last line of checkpoint FILE
# recorded: the next chunk is being written, so the kill lands mid-chunk.
kill_when_partial_past_checkpoint() {  # PID FILE
  python3 - "$1" "$2" "$root/final" <<'PY'
import glob, json, os, signal, sys
offset = 0
for line in open(sys.argv[2], errors="replace"):
    try:
        offset = json.loads(line).get("chunk", {}).get("offset", offset)
    except ValueError:
        pass
partials = glob.glob(sys.argv[3] + "/.*.zip.partial")
if offset and partials and os.path.getsize(partials[0]) > offset:
    os.kill(int(sys.argv[1]), signal.SIGKILL)
    sys.exit(0)
sys.exit(1)
PY
}
# Whether step H's staging folder (its path then in $found) holds at least MIN captions.
staging_has() {  # MIN
  found="$(ls -d "$root"/.sluice/jobs/*/work/final.staging 2>/dev/null | head -1 || true)"
  [ -n "$found" ] && [ "$(find "$found" -name '*.txt' | wc -l)" -ge "$1" ]
}

strace -f -q -e trace=openat -e signal=none -o "$work/opens.txt" "$SLUICE" run "$root" --once > "$work/first.log" 2>&1 &
tracer=$!
target=$(calc "int($count * $fraction)")
wait_until "$tracer" "$work/first.log" "the index reaching $target images" checkpoint_has index.partial.jsonl "$target"
checkpoint="$found"
# The traced sluice is strace's only child: kill it by its id.
child="$(cat /proc/"$tracer"/task/*/children | tr ' ' '\n' | grep -m1 .)"
kill -9 "$child"
wait "$tracer" || true

read -r opened recorded redone < <(python3 - "$work/opens.txt" "$checkpoint" <<'PY'
import json, re, sys
opened = set()
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r'openat\(AT_FDCWD, "([^"]*/source/[^"]*\.(?:jpg|png|webp))"', line)
    if m:
        opened.add(m.group(1).rsplit("/source/", 1)[1])
recorded = set()
for line in open(sys.argv[2], errors="replace"):
    try:
        entry = json.loads(line)
    except ValueError:
        continue  # a torn last line: the restart cuts it off
    item = entry.get("image") or entry.get("unreadable")
    recorded.add(item["path"])
print(len(opened), len(recorded), len(opened - recorded))
PY
)
# The second run is killed in step H (final cleanup) once half the final captions are staged; the third finishes.
"$SLUICE" run "$root" --once > "$work/second.log" 2>&1 &
second=$!
wait_until "$second" "$work/second.log" "step H staging half the captions" staging_has $(( count / 2 ))
staging="$found"
kill -9 "$second"
wait "$second" || true
staged=$(find "$staging" -type f ! -name '*.txt' ! -name '.*' | wc -l)  # images linked before the kill

# The third run finishes H and is killed in step I (final zip) once half the entries are recorded in its checkpoint
# and the next chunk has begun to reach the partial.
"$SLUICE" run "$root" --once > "$work/third.log" 2>&1 &
third=$!
# A header line, then one line per chunk of 500 entries; a job has two entries (image, caption) per image.
wait_until "$third" "$work/third.log" "step I recording half the entries" checkpoint_has final-zip.partial.jsonl $(( count / 500 + 1 ))
zip_checkpoint="$found"
wait_until "$third" "$work/third.log" "step I writing the next chunk" kill_when_partial_past_checkpoint "$third" "$zip_checkpoint"
wait "$third" || true
# Entries recorded, and entries (whole or begun) in the partial past the recorded length: the restart writes those again.
read -r zip_recorded zip_redone < <(python3 - "$zip_checkpoint" "$root/final" <<'PY'
import glob, json, struct, sys
recorded, offset = 0, 0
for line in open(sys.argv[1], errors="replace"):
    try:
        chunk = json.loads(line).get("chunk")
    except ValueError:
        break  # a torn last line: the restart cuts it off
    if chunk:
        recorded += len(chunk["written"])
        offset = chunk["offset"]
data = open(glob.glob(sys.argv[2] + "/.*.zip.partial")[0], "rb").read()
begun, at = 0, offset
while at + 30 <= len(data) and data[at:at + 4] == b"PK\x03\x04":
    size, _, name, extra = struct.unpack("<IIHH", data[at + 18:at + 30])
    begun += 1
    at += 30 + name + extra + size
if at < len(data) and at + 30 > len(data):
    begun += 1  # a header cut off by the kill
print(recorded, begun)
PY
)

start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$work/rss" "$SLUICE" run "$root" --once > "$work/restart.log" 2>&1
end=$(date +%s.%N)
kept=$(sed -n 's/.*final cleanup: [0-9]* images with captions (\([0-9]*\) kept.*/\1/p' "$work/third.log" | head -1)
kept="${kept:-0}"
zip="$(ls "$root"/final/*.zip)"
resumed=$(python3 -c 'import json,sys; print(next((e["message"] for e in json.load(open(sys.argv[1]))["log"] if "final zip: resumed" in e["message"]), "not resumed"))' "$(ls "$root"/.sluice/jobs/*/job.json | head -1)")
images=$(unzip -Z1 "$zip" | grep -ciE '\.(jpg|png|webp)$')
unzip -tq "$zip" >/dev/null
echo "kill -9 in step A at $recorded of $count images indexed: the first run had read $opened, so $redone were indexed" \
  "again (index batch $batch)"
echo "kill -9 in step H with $staged images staged: the restart kept $kept, so $(( staged - kept )) were redone" \
  "(staging batch 1000)"
echo "kill -9 in step I with $zip_recorded entries recorded: $zip_redone entries past them were written again" \
  "(chunk 500); the restart's job log: $resumed; the last run took $(calc "f'{$end - $start:.1f}'") s, peak RSS $(( $(tail -1 "$work/rss") / 1024 )) MB;" \
  "final zip $images images, unzip -t ok"
rm -rf "$work"
[ "$redone" -le "$batch" ] && [ $(( staged - kept )) -le 1000 ] && [ "$zip_redone" -le 500 ] && [ "$images" = "$count" ] \
  && [[ "$resumed" == *"resumed at entry $zip_recorded "* ]]
