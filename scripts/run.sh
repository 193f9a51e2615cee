#!/usr/bin/env bash
# Install newsbot and run it on the embedded default (SQLite + the seed articles).
# With no arguments: `newsbot run` (chat adapters if configured, else the console).
# With arguments: `newsbot ARGS...`, e.g. scripts/run.sh ask "summarize the Kaspersky story"
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh runtime
if [ $# -eq 0 ]; then set -- run; fi
exec .venv/bin/newsbot "$@"
