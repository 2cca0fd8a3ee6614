#!/usr/bin/env bash
# Makes analyzers/wd14/.venv with onnxruntime, numpy and Pillow from PyPI (no model is downloaded).
# Usage: analyzers/wd14/install.sh [--with-tests]   (--with-tests adds onnx and pytest for tests/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
files=("$here/requirements.txt")
if [ "${1:-}" = "--with-tests" ]; then files+=("$here/requirements-test.txt"); fi
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
# pip runs only when the requirement files changed since the last install (a stamp per set of files).
stamp="$venv/.installed-$(cat "${files[@]}" | sha256sum | cut -c1-16)"
if [ ! -e "$stamp" ]; then
    for file in "${files[@]}"; do
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$file"
    done
    touch "$stamp"
fi
echo "wd14 analyzer ready: $venv/bin/python $here/wd14_analyzer.py --model MODEL_DIR"
