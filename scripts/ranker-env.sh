#!/usr/bin/env bash
# The Python environment for training the coding model's ranker (training/ranker-requirements.txt, pinned, from
# PyPI) in the cache. Idempotent: a venv built from the same requirements is reused. Prints the interpreter's path.
source "$(dirname "$0")/lib.sh"
need python3 "ranker environment" "install Python 3.10+ with venv"
VENV="$CACHE_DIR/ranker-venv"
STAMP="$VENV/.requirements.sha256"
WANTED="$(sha256sum "$CHARTCODER_ROOT/training/ranker-requirements.txt" | cut -d' ' -f1)"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANTED" ]]; then
  cached "ranker environment ($VENV)"
else
  step "Creating the ranker environment ($VENV) from training/ranker-requirements.txt"
  python3 -m venv "$VENV" || fail "ranker environment" "python3 -m venv failed (install python3-venv)"
  "$VENV/bin/pip" install --progress-bar off -r "$CHARTCODER_ROOT/training/ranker-requirements.txt" >&2 || fail "ranker environment" "pip install failed; see the output above"
  echo "$WANTED" > "$STAMP"
  done_step "$(du -sh "$VENV" | cut -f1)"
fi
echo "$VENV/bin/python"
