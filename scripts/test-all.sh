#!/usr/bin/env bash
# Sets up everything the suites need (idempotent; fast when already there) and runs every
# suite. This is the README's test command (`npm run test:all`); CI runs it via .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
[ -d node_modules ] || npm ci --no-audit --no-fund
# Debian Chromium (webview and UI tests), Node 24 and code-server (a real VS Code) in .tools/
bash scripts/e2e/setup.sh
# redis-server for the BullMQ queue engine's integration tests (one suite, two engines)
bash scripts/setup-redis.sh
echo "== setup done in $((SECONDS - t0)) s"
npm test                 # typecheck, lint, build, unit, integration (real codex), CLI, webview
echo "== npm test done at $((SECONDS - t0)) s"
npm run test:python      # the Python SDK (venv, ruff, mypy --strict, pytest incl. a real bridge)
echo "== python done at $((SECONDS - t0)) s"
npm run test:compat      # codex-manager's own Python client, CLI and docs examples against a real bridge
echo "== compat done at $((SECONDS - t0)) s"
npm run release:smoke    # the VSIX, CLI tarball and wheel built like releases; CLI and wheel installed and run
echo "== release smoke done at $((SECONDS - t0)) s"
npm run test:e2e         # the extension in a real VS Code: extension-host suites, UI scenarios on the installed VSIX
echo "all suites passed in $((SECONDS - t0)) s"
