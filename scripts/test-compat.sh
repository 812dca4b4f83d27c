#!/usr/bin/env bash
# The compatibility suite: codex-manager's own clients, unchanged, against a real bridge
# (dist/cli.js serve with the real codex runtime and the offline demo model). Needs
# codex-manager's published source beside the clone (../shared/anchors/codex-manager, read-only:
# nothing is written there) and `npm run build` first (`npm test` does).
#
# Installs, all under .tmp/compat/ (git-ignored):
#   venv/        codex-manager's Python client (pip-installed from a copy of the shared source;
#                it is also called `codex_manager`, so it cannot share our SDK's venv) + pytest
#   cli/         a copy of codex-manager's CLI (apps/cli) with its two runtime dependencies
#                (commander, ws), run with the repo's tsx
# Then runs test/compat/ with that venv; the docs examples also run with our SDK (python/.venv).
set -euo pipefail
cd "$(dirname "$0")/.."
ANCHOR="${CODEX_MANAGER_ANCHOR:-$(cd .. && pwd)/shared/anchors/codex-manager}"
[ -d "$ANCHOR/packages/python-client" ] || { echo "codex-manager's source not found at $ANCHOR" >&2; exit 1; }
WORK=.tmp/compat
mkdir -p "$WORK"

# codex-manager's Python client, from a fresh copy each run (the source is read-only).
if [ ! -x "$WORK/venv/bin/python" ]; then python3 -m venv "$WORK/venv"; fi
rm -rf "$WORK/python-client" && cp -r "$ANCHOR/packages/python-client" "$WORK/python-client"
"$WORK/venv/bin/pip" install --disable-pip-version-check -q pytest==9.2.0 pytest-asyncio==1.5.0
"$WORK/venv/bin/pip" install --disable-pip-version-check -q --force-reinstall --no-deps "$WORK/python-client"
"$WORK/venv/bin/pip" install --disable-pip-version-check -q "$WORK/python-client"

# codex-manager's CLI: its sources and the versions of commander and ws its package.json asks for
# (its other dependency, a workspace package, is not imported by the CLI).
rm -rf "$WORK/cli/src" && mkdir -p "$WORK/cli" && cp -r "$ANCHOR/apps/cli/src" "$WORK/cli/src"
if [ ! -d "$WORK/cli/node_modules/commander" ]; then
  printf '{"private":true,"type":"module","dependencies":{"commander":"14.0.2","ws":"8.18.3"}}\n' > "$WORK/cli/package.json"
  (cd "$WORK/cli" && npm install --no-audit --no-fund --silent --no-package-lock)
fi

# Our SDK's venv runs the docs examples too (scripts/test-python.sh makes it).
[ -x python/.venv/bin/python ] || bash scripts/test-python.sh
python/.venv/bin/ruff check test/compat
python/.venv/bin/ruff format --check test/compat

CODEX_MANAGER_ANCHOR="$ANCHOR" COMPAT_CLI_DIR="$WORK/cli" OUR_SDK_PYTHON="$PWD/python/.venv/bin/python" \
  "$WORK/venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir test/compat -c test/compat/pytest.ini test/compat "$@"
