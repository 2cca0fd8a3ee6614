#!/usr/bin/env bash
# Makes the wd14 venv with the test packages (onnx, pytest) and runs the analyzer's tests; prints pytest's summary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install.sh" --with-tests >/dev/null
cd "$here"
exec "$here/.venv/bin/python" -m pytest -q -p no:cacheprovider tests "$@"
