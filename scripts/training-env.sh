#!/usr/bin/env bash
# The Python environment for LoRA training (training/requirements.txt, pinned, from PyPI) in the cache. Idempotent:
# a venv built from the same requirements is reused. PyPI's Linux torch is the CUDA build, so this pulls the nvidia-*
# wheels too (about 5.6 GB); it runs on CPU when no GPU is present.
source "$(dirname "$0")/lib.sh"
need python3 "training environment" "install Python 3.10+ with venv"
VENV="$CACHE_DIR/training-venv"
STAMP="$VENV/.requirements.sha256"
WANTED="$(sha256sum "$CHARTCODER_ROOT/training/requirements.txt" | cut -d' ' -f1)"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANTED" ]]; then
  cached "training environment ($VENV)"
else
  step "Creating the training environment ($VENV) from training/requirements.txt"
  python3 -m venv "$VENV" || fail "training environment" "python3 -m venv failed (install python3-venv)"
  "$VENV/bin/pip" install --progress-bar off -r "$CHARTCODER_ROOT/training/requirements.txt" >&2 || fail "training environment" "pip install failed; see the output above"
  echo "$WANTED" > "$STAMP"
  done_step "$(du -sh "$VENV" | cut -f1)"
fi
echo "$VENV/bin/python"
