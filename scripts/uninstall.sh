#!/usr/bin/env bash
# Removes what scripts/install.sh installed; first stops and disables the user services that run this binary.
#
#   scripts/uninstall.sh [--prefix DIR]     (default ~/.local, or /usr/local when run as root)
#
# Sluice roots (your datasets, jobs and sluice.yaml) are never touched.
set -euo pipefail
prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
    --prefix=*) prefix="${1#*=}"; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "uninstall.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$prefix" ]; then
  if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi
prefix="$(realpath -m "$prefix")"
sluice="$prefix/bin/sluice"

units="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
if [ -x "$sluice" ] && grep -qsF "ExecStart=$sluice " "$units/sluice@.service"; then
  for link in "$units"/default.target.wants/sluice@*.service; do
    [ -e "$link" ] || [ -L "$link" ] || continue
    instance="$(basename "$link" .service)"
    root="$(systemd-escape --unescape --path "${instance#sluice@}")"
    "$sluice" service uninstall "$root"
  done
  rm -f "$units/sluice@.service"
fi

for file in bin/sluice share/man/man1/sluice.1 share/bash-completion/completions/sluice \
  share/zsh/site-functions/_sluice share/fish/vendor_completions.d/sluice.fish; do
  if [ -e "$prefix/$file" ]; then rm -f "$prefix/$file" && echo "Removed $prefix/$file"; fi
done
