# Sourced by main.sh and test.sh: install npm dependencies when the lockfile changed, then build dist/.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[chartcoder] Installing npm dependencies (npm ci) ..." >&2
  npm ci --no-audit --no-fund >&2 || { echo "chartcoder: npm ci failed: check access to the npm registry and Node >= 20.19" >&2; exit 1; }
fi
echo "[chartcoder] Building dist/ (esbuild) ..." >&2
node esbuild.js --production || { echo "chartcoder: build failed: see the esbuild errors above" >&2; exit 1; }
