#!/usr/bin/env bash
# The main job on a fresh machine: install, build, provision and start the services, then build the knowledge
# index (embedded by default; Elasticsearch when CHARTCODER_ES_URL is set). Every step is cached and idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
node dist/cli.js services start all
exec node dist/cli.js index build
