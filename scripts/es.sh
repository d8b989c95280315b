#!/usr/bin/env bash
# Download (once), start, stop and report a single-node Elasticsearch on 127.0.0.1.
# The official integ-test-zip comes from Maven Central through `mvn dependency:copy`; it has no bundled JDK,
# no security and no ML: Java 17 from the machine runs it. ES refuses root, so as root it runs as the
# dedicated user `chartcoder-es` from a directory that user can reach (the cache may sit under a 0700 home).
# usage: scripts/es.sh install|start|stop|status
source "$(dirname "$0")/lib.sh"

ES_USER="${CHARTCODER_ES_USER:-chartcoder-es}"
ZIP_DIR="$CACHE_DIR/downloads"
ZIP="$ZIP_DIR/elasticsearch-$ES_VERSION.zip"
if [ "$(id -u)" = 0 ]; then
  RUNTIME="${CHARTCODER_ES_RUNTIME:-/var/tmp/chartcoder-es-$(printf %s "$CACHE_DIR" | sha1sum | cut -c1-8)}"
else
  RUNTIME="${CHARTCODER_ES_RUNTIME:-$CACHE_DIR/es}"
fi
ES_HOME="$RUNTIME/elasticsearch-$ES_VERSION"
DATA="$RUNTIME/data-$ES_PORT"
LOGS="$RUNTIME/logs-$ES_PORT"
PIDFILE="$RUNTIME/es-$ES_PORT.pid"
URL="http://127.0.0.1:$ES_PORT"

java_home() {
  local java; java=$(command -v java) || fail "Elasticsearch start" "Java 17 is not installed (apt-get install openjdk-17-jre-headless)"
  local major; major=$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ "${major:-0}" -ge 17 ] || fail "Elasticsearch start" "Java $major found, Java 17 or newer is required (apt-get install openjdk-17-jre-headless)"
  dirname "$(dirname "$(readlink -f "$java")")"
}

download() {
  if [ -f "$ZIP" ]; then cached "elasticsearch-$ES_VERSION.zip"; return; fi
  need mvn "Elasticsearch download" "install Maven (apt-get install maven)"
  step "Downloading Elasticsearch $ES_VERSION (integ-test-zip, ~100 MB) from Maven Central"
  mkdir -p "$ZIP_DIR"
  mvn -q -B -Dstyle.color=never dependency:copy \
    "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
    "-DoutputDirectory=$ZIP_DIR" >/dev/null \
    || fail "mvn dependency:copy of elasticsearch $ES_VERSION" "check access to Maven Central and the version (CHARTCODER_ES_VERSION)"
  done_step "$(du -h "$ZIP" | cut -f1)"
}

ensure_user() {
  [ "$(id -u)" = 0 ] || return 0
  id "$ES_USER" >/dev/null 2>&1 && return 0
  step "Creating system user $ES_USER (Elasticsearch refuses to run as root)"
  useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER" \
    || fail "useradd $ES_USER" "create a non-root user and set CHARTCODER_ES_USER to it"
  done_step
}

install() {
  download
  if [ -x "$ES_HOME/bin/elasticsearch" ]; then cached "Elasticsearch $ES_VERSION unpacked at $ES_HOME"; else
    step "Unpacking Elasticsearch into $ES_HOME"
    mkdir -p "$RUNTIME"
    local tmp; tmp=$(mktemp -d "$RUNTIME/unpack.XXXX")
    unzip -q "$ZIP" -d "$tmp" || fail "unzip $ZIP" "delete the file and run again (it may be truncated)"
    mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"; rmdir "$tmp"
    done_step
  fi
  ensure_user
  mkdir -p "$DATA" "$LOGS"
  if [ "$(id -u)" = 0 ]; then chmod 755 "$RUNTIME"; chown -R "$ES_USER" "$ES_HOME/config" "$DATA" "$LOGS"; fi
}

health() { curl -fsS --max-time 3 "$URL/_cluster/health" 2>/dev/null; }

start() {
  if health | grep -Eq '"status":"(green|yellow)"'; then cached "Elasticsearch already serving on $URL"; return; fi
  port_busy "$ES_PORT" && fail "Elasticsearch start" "port $ES_PORT is busy; stop what uses it or set CHARTCODER_ES_PORT"
  local jh; jh=$(java_home)
  install
  step "Starting Elasticsearch $ES_VERSION on $URL (heap 1g, single node)"
  local run=(env "ES_JAVA_HOME=$jh" "ES_JAVA_OPTS=-Xms1g -Xmx1g" "ES_PATH_CONF=$ES_HOME/config"
    "$ES_HOME/bin/elasticsearch" -d -p "$PIDFILE"
    -E discovery.type=single-node -E network.host=127.0.0.1 -E "http.port=$ES_PORT" -E transport.port=0
    -E "path.data=$DATA" -E "path.logs=$LOGS" -E cluster.name=chartcoder -E xpack.security.enabled=false
    -E cluster.routing.allocation.disk.threshold_enabled=false -E action.destructive_requires_name=false)
  rm -f "$PIDFILE"
  if [ "$(id -u)" = 0 ]; then
    touch "$PIDFILE"; chown "$ES_USER" "$PIDFILE"
    runuser -u "$ES_USER" -- "${run[@]}" >"$RUNTIME/start-$ES_PORT.log" 2>&1
  else
    "${run[@]}" >"$RUNTIME/start-$ES_PORT.log" 2>&1
  fi || fail "Elasticsearch start" "see $RUNTIME/start-$ES_PORT.log and $LOGS/chartcoder.log"
  local deadline=$(( $(date +%s) + 180 ))
  until health | grep -Eq '"status":"(green|yellow)"'; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "Elasticsearch start" "no green/yellow health within 180 s; see $LOGS/chartcoder.log"
    sleep 2
  done
  done_step "$(curl -fsS "$URL/_nodes/_local?filter_path=nodes.*.version" | grep -o "\"version\":\"[^\"]*\"")"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_pid "$PIDFILE" elasticsearch ;;
  status) health || { echo "elasticsearch: down"; exit 3; } ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
