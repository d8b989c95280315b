#!/usr/bin/env bash
# Start, seed, stop and report the FHIR R4 test server (Medplum's FHIR router + in-memory repository, Node)
# on 127.0.0.1. The repository lives in memory, so every start seeds it again from transaction Bundles.
# usage: scripts/fhir.sh start|stop|status
source "$(dirname "$0")/lib.sh"

FHIR_DIR="$CACHE_DIR/fhir"
PIDFILE="$FHIR_DIR/fhir-$FHIR_PORT.pid"
LOG="$FHIR_DIR/fhir-$FHIR_PORT.log"
BASE="http://127.0.0.1:$FHIR_PORT/fhir"
SYNTHEA_TGZ="${CHARTCODER_SYNTHEA_TGZ:-$CHARTCODER_ROOT/../shared/data/synthea/sample-bulk-fhir-10-patients.tar.gz}"

start() {
  if curl -fsS --max-time 2 "$BASE/metadata" >/dev/null 2>&1; then cached "FHIR test server already serving on $BASE"; return; fi
  port_busy "$FHIR_PORT" && fail "FHIR test server start" "port $FHIR_PORT is busy; stop what uses it or set CHARTCODER_FHIR_PORT"
  [ -d "$CHARTCODER_ROOT/node_modules/@medplum/fhir-router" ] || fail "FHIR test server start" "dev dependencies are missing; run npm ci"
  mkdir -p "$FHIR_DIR"
  step "Starting the FHIR R4 test server on $BASE"
  cd "$CHARTCODER_ROOT"
  setsid nohup node --import tsx scripts/fhirTestServer/server.ts "$FHIR_PORT" >"$LOG" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  wait_http "$BASE/metadata" 60 || fail "FHIR test server start" "no answer within 60 s; see $LOG"
  done_step
  local synthea=""
  if [ -f "$SYNTHEA_TGZ" ]; then
    synthea="$FHIR_DIR/synthea"
    if [ ! -f "$synthea/Patient.000.ndjson" ]; then mkdir -p "$synthea"; tar -xzf "$SYNTHEA_TGZ" -C "$synthea"; fi
  else
    info "Synthea sample not found at $SYNTHEA_TGZ: seeding synthetic encounters only"
  fi
  step "Seeding it with transaction Bundles (synthetic encounters${synthea:+ + Synthea 10-patient sample})"
  node --import tsx scripts/fhirTestServer/seed.ts "$BASE" $synthea || fail "FHIR seeding" "see the message above and $LOG"
  done_step
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid "$PIDFILE" "FHIR test server" ;;
  status) curl -fsS --max-time 2 "$BASE/metadata" >/dev/null && echo "fhir: up at $BASE" || { echo "fhir: down"; exit 3; } ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
