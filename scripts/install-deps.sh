#!/usr/bin/env bash
# Installs the Debian packages Sluice builds and tests against, only those missing.
set -euo pipefail
packages=(
  pkg-config zlib1g-dev libssl-dev libcurl4-openssl-dev libexif-dev libsqlite3-dev
  libturbojpeg0-dev libpng-dev libwebp-dev libdeflate-dev
  libimage-exiftool-perl rsync zip unzip sqlite3 procps inotify-tools python3 python3-venv
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "Installing: ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
