#!/usr/bin/env bash
# The README's first command: builds Sluice and runs the shipped example from inbox/ to a final training zip.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product sluice 2>&1 | tail -n 1
sluice="$(swift build --show-bin-path)/sluice"

root="$(mktemp -d "${TMPDIR:-/tmp}/sluice-example.XXXXXX")"
"$sluice" init "$root" >/dev/null
cp examples/sluice.yaml "$root/sluice.yaml"
cp -r examples/dataset/mika_example "$root/inbox/"
"$sluice" run "$root" --once
zip=$(ls "$root"/final/*.zip)
echo
unzip -l "$zip"
echo "Example root: $root"
echo "Final zip: $zip"
