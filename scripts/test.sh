#!/usr/bin/env bash
# Install the test dependencies and run the whole suite (lint, types, tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh dev
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/pytest "$@"
