#!/usr/bin/env bash
# Runs one libFuzzer target against its seed corpus: scripts/fuzz.sh TARGET SECONDS
#   TARGET: zip, xmp, caption, preset, config, exif, saucenao, iqdb (or "list")
# The targets live in Fuzz/targets/ and are declared in Package.swift only when SLUICE_FUZZ is set, so normal
# builds never compile them; they build with Swift's own libFuzzer and AddressSanitizer into .build/fuzz.
# New inputs that raise coverage go to .build/fuzz/corpus/TARGET (not committed); a crash is written to
# .build/fuzz/crashes/TARGET/ and the script exits non-zero. Add a fixed crash's input to Fuzz/corpus/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(zip xmp caption preset config exif saucenao iqdb)
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS (TARGET: ${targets[*]})}
seconds=${2:-60}
if [ "$target" = list ]; then printf '%s\n' "${targets[@]}"; exit 0; fi
[[ " ${targets[*]} " == *" $target "* ]] || { echo "unknown target $target (one of: ${targets[*]})" >&2; exit 2; }

export SLUICE_FUZZ=1
scratch=.build/fuzz
if [ "${SLUICE_FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  swift build -j "${SLUICE_FUZZ_JOBS:-1}" -c debug --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address --product "fuzz-$target" >&2
fi
binary="$scratch/debug/fuzz-$target"
work="$scratch/corpus/$target"
crashes="$scratch/crashes/$target"
mkdir -p "$work" "$crashes"
# The seed corpus is read-only input; libFuzzer writes what it finds to the first folder only.
"$binary" "$work" "Fuzz/corpus/$target" \
  -max_total_time="$seconds" -max_len="${SLUICE_FUZZ_MAX_LEN:-65536}" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$crashes/" -print_final_stats=1 ${SLUICE_FUZZ_ARGS:-}
