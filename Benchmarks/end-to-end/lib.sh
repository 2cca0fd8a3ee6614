# The timing loop `run.sh` and `scale.sh` share (sourced, not run): the release build, the generated datasets, and
# `bench_compare`, which runs Sluice's dataset job and the naive peer script alternately on the same folder and
# prints both medians side by side.
#
# Environment: BENCH_DATA (default Benchmarks/.data; generated data, never in git), SLUICE (a sluice binary; default
# a release build of this checkout), RUNS (runs of each contender), BASES (distinct images the generator encodes).

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="${BENCH_DATA:-$repo/Benchmarks/.data}"
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

calc() {  # python expression: its value
  python3 -c "print($1)"
}

bench_dataset() {  # name count scale: generates the dataset once (cached in $data/name), prints its folder
  local folder="$data/$1/dataset"
  if [ ! -f "$data/$1/.complete" ]; then
    echo "Generating $2 images (scale $3) in $folder…" >&2
    rm -rf "${data:?}/$1"
    BASE_CACHE="$data/bases" "$venv/bin/python" "$here/generate_dataset.py" "$folder" "$2" "$3" >&2
    touch "$data/$1/.complete"
  fi
  echo "$folder"
}

# Finished work folders are moved aside, not deleted, until bench_compare is done with a size: ext4 avoids reusing
# recently freed inodes, so deleting a run's thousands of files right before the next run slowed that run's file
# creation (normalize's captions took 0.4 s in a first run and 2-3 s after deletes) for whichever side came next.
trash="$data/e2e-trash-$$"
discard() {  # folder: moved into the trash (same file system), deleted with it later, off the clock
  [ -e "$1" ] || return 0
  mkdir -p "$trash"
  mv "$1" "$trash/$(basename "$1")-$(date +%s%N)"
}

empty_trash() {
  rm -rf "$trash"
  sync
}

# A fresh root in work/root (no autotag, review auto-approved) given the drop as inbox/dataset: a copy made off the
# clock, then a same-file-system rename, as a user's mv.
prepare_root() {  # source work
  local root="$2/root"
  discard "$2"
  mkdir -p "$2"
  "$SLUICE" init "$root" >/dev/null
  sed -i -e 's/autotag: civitai/autotag: off/' -e 's/auto_approve_review: false/auto_approve_review: true/' \
    -e 's/settle_ms: 2000/settle_ms: 200/' "$root/sluice.yaml"
  cp -a "$1" "$2/staging-dataset"
  sync
  mv "$2/staging-dataset" "$root/inbox/dataset"
}

# One run of Sluice: prepare_root, then `sluice run ROOT --once` under GNU time. Sets sluice_s (wall seconds),
# sluice_rss (peak RSS, MB), sluice_steps (wall seconds per step, from the job file).
sluice_once() {  # source work
  local root="$2/root"
  prepare_root "$1" "$2"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$2/rss" "$SLUICE" run "$root" --once > "$2/sluice.log" 2>&1 \
    || { echo "sluice failed; log:" >&2; tail -20 "$2/sluice.log" >&2; exit 1; }
  end=$(date +%s.%N)
  sluice_s=$(calc "f'{$end - $start:.2f}'")
  sluice_rss=$(( $(tail -1 "$2/rss") / 1024 ))
  [ "$(ls "$root/final/"*.zip 2>/dev/null | wc -l)" = 1 ] || { echo "sluice made no final zip; log:" >&2; tail -20 "$2/sluice.log" >&2; exit 1; }
  unzip -tq "$root/final/"*.zip >/dev/null
  # Per-step wall seconds, from the job file.
  sluice_steps=$(python3 -c "
import json, sys, glob
job = json.load(open(glob.glob(sys.argv[1] + '/.sluice/jobs/*/job.json')[0]))
print(' '.join(f\"{t['step']} {t['seconds']:.2f}\" for t in job.get('step_times', [])) or 'no step times')" "$root")
  discard "$2"
}

# One run of the peer: the script a user would write. Sets peer_s.
peer_once() {  # source work
  discard "$2"
  mkdir -p "$2"
  local start end
  start=$(date +%s.%N)
  cp -r "$1" "$2/dataset"
  (cd "$2" && find dataset -type f -print0 | xargs -0 sha256sum > manifest.sha256 && zip -q -r dataset.zip dataset)
  end=$(date +%s.%N)
  peer_s=$(calc "f'{$end - $start:.2f}'")
  discard "$2"
}

# Runs Sluice and the peer RUNS times each on `source`, alternating which goes first, and prints both medians.
bench_compare() {  # label count source runs
  local label="$1" count="$2" source="$3" runs="$4" run
  local sluice_times=() peer_times=() rss=() work="$data/e2e-work-$$"
  for run in $(seq 1 "$runs"); do
    sync
    if (( run % 2 )); then
      sluice_once "$source" "$work"; sync; peer_once "$source" "$work"
    else
      peer_once "$source" "$work"; sync; sluice_once "$source" "$work"
    fi
    sluice_times+=("$sluice_s")
    peer_times+=("$peer_s")
    rss+=("$sluice_rss")
    echo "  $label, run $run: sluice $sluice_s s (peak RSS $sluice_rss MB; $sluice_steps), naive $peer_s s" >&2
  done
  empty_trash
  local s p
  s="$(median "${sluice_times[@]}")"
  p="$(median "${peer_times[@]}")"
  echo "$label ($count images, $(du -sm "$source" | cut -f1) MB, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)):" \
    "sluice run --once ${s} s ($(calc "f'{1000 * $s / $count:.2f}'") s per 1,000 images, peak RSS $(median "${rss[@]}") MB)" \
    "vs cp -r + sha256sum + zip -r ${p} s ($(calc "f'{1000 * $p / $count:.2f}'") s per 1,000): $(calc "f'{$p / $s:.2f}'")x" \
    " [medians of $runs, alternating; sluice ${sluice_times[*]}; naive ${peer_times[*]}]"
}
