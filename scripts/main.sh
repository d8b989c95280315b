#!/usr/bin/env bash
# The main job on a fresh machine: install, build, provision and start the services, build the knowledge index
# (embedded by default; Elasticsearch when CHARTCODER_ES_URL is set), then code a sample encounter. Every step is
# cached and idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
node dist/cli.js services start all
node dist/cli.js index build
echo "== coding the synthetic sample encounter synthetic-enc-chf (data/samples/synthetic-encounters.json)"
exec node dist/cli.js code data/samples/synthetic-encounters.json --id synthetic-enc-chf
