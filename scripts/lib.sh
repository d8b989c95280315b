# Shared helpers for the provisioning scripts: cache layout, progress, one-line failures.
# Sourced, never run. Every script is idempotent: a step whose output exists is skipped and says so.
set -euo pipefail

CHARTCODER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${CHARTCODER_CACHE_DIR:-$CHARTCODER_ROOT/.cache}"
mkdir -p "$CACHE_DIR"
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"

ES_VERSION="${CHARTCODER_ES_VERSION:-8.19.21}"
ES_PORT="${CHARTCODER_ES_PORT:-9250}"
OLLAMA_VERSION="0.24.0"
OLLAMA_PORT="${CHARTCODER_OLLAMA_PORT:-11500}"
FHIR_PORT="${CHARTCODER_FHIR_PORT:-8090}"

step_started_at=0
step() { step_started_at=$(date +%s); printf '[chartcoder] %s ...\n' "$*" >&2; }
done_step() { printf '[chartcoder]   done in %ss%s\n' "$(( $(date +%s) - step_started_at ))" "${1:+ ($1)}" >&2; }
cached() { printf '[chartcoder] %s: cached, skipping\n' "$*" >&2; }
info() { printf '[chartcoder] %s\n' "$*" >&2; }

# fail WHAT HOW: one line naming what failed and how to fix it, exit 1.
fail() { printf 'chartcoder: %s failed: %s\n' "$1" "$2" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || fail "$2" "'$1' is not installed ($3)"; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_http URL SECONDS: poll until the URL answers 2xx.
wait_http() {
  local url=$1 deadline=$(( $(date +%s) + $2 ))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid PIDFILE NAME: TERM, wait up to 30 s, then KILL.
stop_pid() {
  local pidfile=$1 name=$2
  if ! pid_alive "$pidfile"; then info "$name is not running"; rm -f "$pidfile"; return 0; fi
  local pid; pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"; info "$name stopped"
}

# pip_fetch SPEC DEST [pip args...]: download a package from PyPI into DEST once.
pip_fetch() {
  local spec=$1 dest=$2; shift 2
  mkdir -p "$dest"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check "$@" -d "$dest" "$spec" \
    || fail "download of $spec from PyPI" "check network access to PyPI and that python3 -m pip works"
}

# python_env NAME REQUIREMENTS WHAT: a venv in the cache built from a pinned requirements file, reused while the file
# is unchanged (its hash is stamped in the venv); prints the interpreter's path.
python_env() {
  local venv="$CACHE_DIR/$1" requirements="$CHARTCODER_ROOT/$2" what=$3
  need python3 "$what" "install Python 3.10+ with venv"
  local stamp="$venv/.requirements.sha256" wanted
  wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    cached "$what ($venv)"
  else
    step "Creating the $what ($venv) from $2"
    python3 -m venv "$venv" || fail "$what" "python3 -m venv failed (install python3-venv)"
    "$venv/bin/pip" install --progress-bar off -r "$requirements" >&2 || fail "$what" "pip install failed; see the output above"
    echo "$wanted" > "$stamp"
    done_step "$(du -sh "$venv" | cut -f1)"
  fi
  echo "$venv/bin/python"
}
