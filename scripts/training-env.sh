#!/usr/bin/env bash
# The Python environment for LoRA training (training/requirements.txt, pinned, from PyPI) in the cache. Idempotent:
# a venv built from the same requirements is reused. PyPI's Linux torch is the CUDA build, so this pulls the nvidia-*
# wheels too (about 5.6 GB); it runs on CPU when no GPU is present.
source "$(dirname "$0")/lib.sh"
python_env training-venv training/requirements.txt "training environment"
