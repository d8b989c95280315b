#!/usr/bin/env bash
# The main job on a fresh machine: install, build, provision and start the services, report their health.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
exec node dist/cli.js services start all
