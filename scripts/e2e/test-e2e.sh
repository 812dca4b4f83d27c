#!/usr/bin/env bash
# `npm run test:e2e`: the extension in a real VS Code (code-server + headless chromium).
#   1. setup.sh   installs the harness's tools once (idempotent; ~0.1 s when warm)
#   2. package    minified build of every bundle (the e2e suite's too) + the .vsix
#   3. the mocha suite inside the extension host (development extension = this repo's dist/)
#   4. the UI scenarios in test/e2e/ui/ (the .vsix installed as a user would)
# Each step prints its time; the first failure stops the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$SECONDS
step() {
  local name=$1; shift
  local s=$SECONDS
  "$@"
  echo "[test:e2e] $name: $((SECONDS - s)) s"
}
step setup bash scripts/e2e/setup.sh
step package node scripts/package.mjs
step extension-suite node scripts/e2e/run-extension-suite.mjs
step ui-scenarios node scripts/e2e/run-ui-scenarios.mjs
echo "[test:e2e] passed in $((SECONDS - t0)) s"
