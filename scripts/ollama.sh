#!/usr/bin/env bash
# Build (once), start, stop and report Ollama v0.24.0 on 127.0.0.1, all state inside the cache.
# usage: scripts/ollama.sh install|start|stop|status
source "$(dirname "$0")/lib.sh"

OLLAMA_DIR="$CACHE_DIR/ollama"
OLLAMA_BIN="$OLLAMA_DIR/bin/ollama"
PIDFILE="$OLLAMA_DIR/ollama.pid"
LOG="$OLLAMA_DIR/ollama.log"
HOST="127.0.0.1:$OLLAMA_PORT"

reusable_ollama_on_path() {
  local found; found=$(command -v ollama 2>/dev/null) || return 1
  [ "$found" = "$OLLAMA_BIN" ] && return 1
  "$found" --version 2>/dev/null | grep -q "$OLLAMA_VERSION" || return 1
  echo "$found"
}

vendor_headers() {
  local inc="$OLLAMA_DIR/include"
  if [ -f "$inc/miniaudio/miniaudio.h" ] && [ -f /usr/include/nlohmann/json.hpp ] && [ -f /usr/include/stb/stb_image.h ]; then
    cached "llama.cpp vendor headers"; echo "$inc"; return
  fi
  step "Installing llama.cpp vendor headers (Debian nlohmann-json3-dev libstb-dev, PyPI miniaudio==1.71 sdist)"
  if [ ! -f /usr/include/nlohmann/json.hpp ] || [ ! -f /usr/include/stb/stb_image.h ]; then
    need apt-get "vendor headers" "install nlohmann-json3-dev and libstb-dev with your package manager"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nlohmann-json3-dev libstb-dev; } >&2 \
      || fail "apt-get install nlohmann-json3-dev libstb-dev" "run it as root, or install those two packages by hand"
  fi
  local tmp; tmp=$(mktemp -d)
  pip_fetch miniaudio==1.71 "$tmp" --no-binary :all:
  mkdir -p "$inc/miniaudio"
  tar -xzf "$tmp"/miniaudio-1.71.tar.gz -C "$tmp" miniaudio-1.71/miniaudio/miniaudio.h
  cp "$tmp/miniaudio-1.71/miniaudio/miniaudio.h" "$inc/miniaudio/"
  ln -sfn /usr/include/nlohmann "$inc/nlohmann"
  ln -sfn /usr/include/stb "$inc/stb"
  rm -rf "$tmp"; done_step >&2
  echo "$inc"
}

build_ollama() {
  if [ -x "$OLLAMA_BIN" ] && "$OLLAMA_BIN" --version 2>/dev/null | grep -q "$OLLAMA_VERSION"; then
    cached "ollama $OLLAMA_VERSION binary"; return
  fi
  need go "Ollama build" "install Go 1.26 and put it on PATH"
  need g++ "Ollama build" "install a C/C++ toolchain (apt-get install build-essential)"
  local inc flags="-O3"
  inc=$(vendor_headers)
  if grep -qw avx2 /proc/cpuinfo; then flags="-O3 -march=x86-64-v3"; else info "CPU lacks AVX2: baseline build"; fi
  step "Building ollama v$OLLAMA_VERSION from the Go module proxy (cgo + llama.cpp; 10-30 min on 2 cores, cached afterwards)"
  mkdir -p "$OLLAMA_DIR/bin"
  GOBIN="$OLLAMA_DIR/bin" CGO_ENABLED=1 \
    CGO_CFLAGS="$flags -I$inc" CGO_CXXFLAGS="$flags -I$inc" \
    go install -ldflags "-X github.com/ollama/ollama/version.Version=$OLLAMA_VERSION" \
      "github.com/ollama/ollama@v$OLLAMA_VERSION" >&2 \
    || fail "go install github.com/ollama/ollama@v$OLLAMA_VERSION" "see the compiler output above; a C/C++ toolchain (gcc, g++) is required"
  done_step "ollama $OLLAMA_VERSION at $OLLAMA_BIN"
}

start() {
  if curl -fsS --max-time 2 "http://$HOST/api/version" >/dev/null 2>&1; then
    cached "ollama already serving on $HOST"; return
  fi
  port_busy "$OLLAMA_PORT" && fail "ollama start" "port $OLLAMA_PORT is busy; stop what uses it or set CHARTCODER_OLLAMA_PORT"
  local bin; bin=$(reusable_ollama_on_path) && info "reusing $bin (version $OLLAMA_VERSION)" || { build_ollama; bin=$OLLAMA_BIN; }
  step "Starting ollama on $HOST"
  mkdir -p "$OLLAMA_DIR/models" "$OLLAMA_DIR/home"
  HOME="$OLLAMA_DIR/home" OLLAMA_MODELS="$OLLAMA_DIR/models" OLLAMA_HOST="$HOST" OLLAMA_NO_CLOUD=1 \
    OLLAMA_KEEP_ALIVE="${OLLAMA_KEEP_ALIVE:-30m}" \
    setsid nohup "$bin" serve >"$LOG" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  wait_http "http://$HOST/api/version" 60 || fail "ollama start" "it did not answer within 60 s; see $LOG"
  done_step "$(curl -fsS "http://$HOST/api/version")"
}

case "${1:-}" in
  install) build_ollama ;;
  start) start ;;
  stop) stop_pid "$PIDFILE" ollama ;;
  status) curl -fsS --max-time 2 "http://$HOST/api/version" || { echo "ollama: down"; exit 3; } ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
