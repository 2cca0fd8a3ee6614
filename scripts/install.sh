#!/usr/bin/env bash
# Installs sluice: a release build into PREFIX/bin, bash/zsh/fish completions and a man page under PREFIX/share.
#
#   scripts/install.sh [--prefix DIR] [--binary FILE]
#     --prefix DIR   where to install: default ~/.local, or /usr/local when run as root
#     --binary FILE  install this already-built sluice instead of building one (the install test reuses its build)
#
# The presets are built into the binary; nothing else is needed at run time. scripts/uninstall.sh removes it all.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=""
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
    --prefix=*) prefix="${1#*=}"; shift ;;
    --binary) binary="${2:?--binary needs a file}"; shift 2 ;;
    --binary=*) binary="${1#*=}"; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$prefix" ]; then
  if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi
prefix="$(realpath -m "$prefix")"

if [ -z "$binary" ]; then
  scripts/install-deps.sh
  # The commit goes into the binary (`sluice --version`); a plain `swift build` leaves BuildInfo's fallback.
  commit="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
  if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- 2>/dev/null; then commit="$commit-modified"; fi
  cat > Sources/sluice/BuildInfo+Generated.swift <<SWIFT
// Written by scripts/install.sh; not in git.
#if SLUICE_BUILD_INFO
enum BuildInfo {
    static let commit = "commit $commit"
}
#endif
SWIFT
  echo "Building sluice (release, commit $commit); this takes a while..." >&2
  swift build -c release --product sluice -Xswiftc -DSLUICE_BUILD_INFO
  binary="$(swift build -c release --show-bin-path)/sluice"
fi
[ -x "$binary" ] || { echo "install.sh: $binary is not an executable" >&2; exit 1; }

# argument-parser's man page generator, built once from the checkout SwiftPM already resolved.
parser_checkout=.build/checkouts/swift-argument-parser
[ -d "$parser_checkout" ] || swift package resolve
tools=.build/tools
swift build --package-path "$parser_checkout" --scratch-path "$tools" --product generate-manual >&2
generate_manual="$(swift build --package-path "$parser_checkout" --scratch-path "$tools" --show-bin-path)/generate-manual"

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$prefix/bin/sluice.new"
mv -f "$prefix/bin/sluice.new" "$prefix/bin/sluice"
sluice="$prefix/bin/sluice"
"$sluice" --generate-completion-script bash > "$prefix/share/bash-completion/completions/sluice"
"$sluice" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_sluice"
"$sluice" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/sluice.fish"
"$generate_manual" "$sluice" --output-directory "$prefix/share/man/man1" --date "$(date -u +%F)" >&2

echo "Installed $("$sluice" --version) into $prefix:"
for file in bin/sluice share/man/man1/sluice.1 share/bash-completion/completions/sluice \
  share/zsh/site-functions/_sluice share/fish/vendor_completions.d/sluice.fish; do
  [ -s "$prefix/$file" ] || { echo "install.sh: $prefix/$file is missing or empty" >&2; exit 1; }
  echo "  $prefix/$file"
done
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "Add $prefix/bin to PATH to run sluice by name." ;; esac
echo "Next: sluice init ~/Sluice && sluice service install ~/Sluice"
