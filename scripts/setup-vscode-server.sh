#!/usr/bin/env bash
# Installs the real VS Code server (code-server 4.100.3 bundles VS Code 1.100.3 for Node 20) into
# .vscode-test/code-server for the e2e suite. Offline-safe: the four workarounds are explained in
# /work/shared/docs/tooling-notes.md §1.2 (unsafe-perm, libkrb5-dev, a seeded ripgrep cache, npx yes).
# Usage: scripts/setup-vscode-server.sh [DEST]
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=${1:-.vscode-test/code-server}
CS_VERSION=${CS_VERSION:-4.100.3}
MARKER="$DEST/node_modules/code-server/lib/vscode/out/server-main.js"

if [ -f "$MARKER" ] && grep -q "\"version\": \"$CS_VERSION\"" "$DEST/node_modules/code-server/package.json"; then
  echo "code-server $CS_VERSION already installed in $DEST"
  exit 0
fi

missing=()
command -v rg >/dev/null || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null
fi

mkdir -p "$DEST/tmp/rgseed"
# @vscode/ripgrep's postinstall downloads from GitHub unless it finds this cached archive in $TMPDIR.
RGC="$DEST/tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RGC"
cp "$(command -v rg)" "$DEST/tmp/rgseed/rg"
tar czf "$RGC/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$DEST/tmp/rgseed" rg

cd "$DEST"
[ -f package.json ] || echo '{"private":true}' > package.json
started=$(date +%s)
TMPDIR="$PWD/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --no-save "code-server@$CS_VERSION"
test -x node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg
test -f node_modules/code-server/lib/vscode/out/server-main.js
echo "code-server $CS_VERSION installed in $DEST in $(( $(date +%s) - started )) s"
