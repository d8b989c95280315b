#!/usr/bin/env bash
# The Python environment for training the coding model's ranker (training/ranker-requirements.txt, pinned, from PyPI:
# LightGBM and scikit-learn, about 310 MB) in the cache, apart from the LoRA environment. Idempotent. Prints the
# interpreter's path.
source "$(dirname "$0")/lib.sh"
python_env ranker-venv training/ranker-requirements.txt "ranker environment"
