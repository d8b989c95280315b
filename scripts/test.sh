#!/usr/bin/env bash
# Every test: type check, format and lint, unit tests (no services), integration tests (real Elasticsearch, Ollama and FHIR server,
# started through the CLI and stopped afterwards). Ends with one summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh

echo "[chartcoder] Type check (tsc --noEmit: fhir/, server/engine/ without node or vscode types; then everything) ..." >&2
npm run --silent typecheck || { echo "chartcoder: type check failed" >&2; exit 1; }
echo "[chartcoder] Format and lint (Biome: formatting, recommended lint rules) ..." >&2
npx --no-install biome ci --reporter=summary || { echo "chartcoder: format or lint check failed (npm run format fixes the formatting)" >&2; exit 1; }

passed=0 failed=0 skipped=0 status=0
run_suite() {
  local name=$1 config=$2 log
  log=$(mktemp)
  echo "[chartcoder] $name tests ..." >&2
  npx --no-install mocha --config "$config" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  local p f s
  p=$(grep -Eo '^ +[0-9]+ passing' "$log" | grep -Eo '[0-9]+' || echo 0)
  f=$(grep -Eo '^ +[0-9]+ failing' "$log" | grep -Eo '[0-9]+' || echo 0)
  s=$(grep -Eo '^ +[0-9]+ pending' "$log" | grep -Eo '[0-9]+' || echo 0)
  [ "$p" -gt 0 ] || status=1
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  rm -f "$log"
}

run_suite unit test/.mocharc.unit.json
run_suite integration test/.mocharc.integration.json
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
