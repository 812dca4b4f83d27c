#!/usr/bin/env bash
# `npm run release:smoke`: build the three release artifacts from this checkout, install
# each as a user would, and smoke-test the INSTALLED copy (not the checkout):
#   1. codex-manager-<v>.vsix          (npm run package)
#      codex-manager-<v>.tgz           (npm run package:cli)
#      python/dist/*.whl + *.tar.gz    (npm run package:python: python -m build, twine check)
#   2. the CLI tarball, installed globally into a temp npm prefix (the machine's global
#      folder is not touched), run with a PATH holding only that prefix and `node`: --help,
#      --version, `serve` with the offline demo model, a session round trip; then, with the
#      pinned codex removed, `serve` must stop with the install hint (exit 1), not hang.
#   3. the wheel, installed into a fresh venv: a script (smoke_client.py) does a session round
#      trip against the installed CLI's bridge, found through discovery; then the SDK's own
#      test suite runs against the installed wheel (not python/src).
#   The VSIX is installed into the real workbench by `npm run test:e2e` (test/e2e/ui/chat.mjs
#   runs `--install-extension` on it and opens the chat), which test-all.sh runs next.
# Everything temporary lives in one mktemp folder, removed at exit; the bridge is stopped.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
version=$(node -p "require('./package.json').version")
t0=$SECONDS
log() { printf '[release:smoke %3ds] %s\n' "$((SECONDS - t0))" "$*"; }
fail() { log "FAILED: $*"; exit 1; }

node scripts/package.mjs >/dev/null
# Only what the extension runs and the marketplace shows: the manifest, the bundles, the
# icons, README, CHANGELOG, LICENSE (the codicon font's name carries a content hash).
contents=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "codex-manager-$version.vsix" | sed 's/codicon-[A-Z0-9]*\.ttf/codicon-HASH.ttf/' | LC_ALL=C sort | tr '\n' ' ')
expected='[Content_Types].xml extension.vsixmanifest extension/LICENSE.txt extension/agents/supervisor/AGENTS.md extension/agents/supervisor/events.mjs extension/agents/supervisor/extension.manifest.json extension/changelog.md extension/dist/codicon-HASH.ttf extension/dist/extension-core.js extension/dist/extension-worker.js extension/dist/extension.js extension/dist/queue-libs.js extension/dist/server-main.js extension/dist/server.js extension/dist/transports/editor/editor-server.js extension/dist/webview.css extension/dist/webview.js extension/media/codex.svg extension/media/icon.png extension/package.json extension/readme.md '
[[ "$contents" == "$expected" ]] || fail "the VSIX holds: $contents; expected: $expected"
log "built codex-manager-$version.vsix (21 files, only what belongs)"
node scripts/release/pack-cli.mjs --no-build >/dev/null
log "built codex-manager-$version.tgz"
bash scripts/release/build-python.sh >/dev/null
log "built python/dist (sdist + wheel, twine check --strict passed)"

T=$(mktemp -d "${TMPDIR:-/tmp}/codex-release-smoke-XXXXXX")
serve_pid=
cleanup() {
  if [[ -n "$serve_pid" ]]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT

# --- 2. the CLI package -----------------------------------------------------------------
npm install -g --prefix "$T/npm" --no-audit --no-fund --loglevel=error "./codex-manager-$version.tgz" >/dev/null
log "npm install -g ./codex-manager-$version.tgz (prefix $T/npm)"
mkdir -p "$T/node-only" "$T/home/run" "$T/ws"
chmod 700 "$T/home/run"
ln -s "$(command -v node)" "$T/node-only/node"
# A user's shell with only Node: no CODEX_BIN, no codex on PATH, no OpenAI credentials.
user_env=(env -i "PATH=$T/npm/bin:$T/node-only" "HOME=$T/home" "XDG_RUNTIME_DIR=$T/home/run"
  "XDG_CONFIG_HOME=$T/home/config" "XDG_DATA_HOME=$T/home/share" NO_COLOR=1 LANG=C.UTF-8)
cli() { (cd "$T/ws" && "${user_env[@]}" codex-manager "$@"); }

[[ "$(cli --version)" == "$version" ]] || fail "codex-manager --version is not $version"
cli --help | grep -q "^codex-manager $version" || fail "codex-manager --help"
cli serve --help | grep -q "Usage: codex-manager serve" || fail "codex-manager serve --help"
log "codex-manager --version, --help, serve --help"

(cd "$T/ws" && exec "${user_env[@]}" codex-manager serve --demo --port 0) >"$T/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 600); do
  grep -q "listening" "$T/serve.log" && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$T/serve.log"; fail "serve exited"; }
  sleep 0.1
done
grep -q "listening" "$T/serve.log" || { cat "$T/serve.log"; fail "serve did not start in 60 s"; }
pinned=$(node -p "require('./package.json').devDependencies['@openai/codex']")
grep -q "runtime .*/$pinned " "$T/serve.log" || { cat "$T/serve.log"; fail "serve did not run the pinned codex $pinned"; }
log "codex-manager serve --demo: up, running the pinned codex $pinned"

session=$(cli sessions create --cwd "$T/ws" --json | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).response.body.session.sessionId))')
cli sessions send --session-id "$session" --text hello --wait >"$T/reply.txt" 2>&1 || { cat "$T/reply.txt"; fail "sessions send --wait"; }
grep -q "offline demo model" "$T/reply.txt" || { cat "$T/reply.txt"; fail "no answer in the reply"; }
log "CLI session round trip: sessions create, sessions send --wait"

# --- 3. the wheel -----------------------------------------------------------------------
python3 -m venv "$T/venv"
"$T/venv/bin/pip" install --disable-pip-version-check -q python/dist/codex_manager_client-"$version"-py3-none-any.whl
log "pip install codex_manager_client-$version-py3-none-any.whl (fresh venv)"
(cd "$T/ws" && "${user_env[@]}" "$T/venv/bin/python" "$ROOT/scripts/release/smoke_client.py" "$version") \
  || fail "the installed wheel's session round trip"
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=

# The SDK's tests, importing the installed wheel: pythonpath= drops the ini's `src`, and
# pytest runs from the temp folder. The two generated-files freshness checks compare
# python/src with openapi.json (and need the generator's tools): properties of the
# checkout, run by `npm run test:python`.
"$T/venv/bin/pip" install --disable-pip-version-check -q \
  $(grep -E '^(pytest|pytest-asyncio)==' python/requirements-dev.txt)
(cd "$T" && "$T/venv/bin/python" -m pytest "$ROOT/python/tests" -c "$ROOT/python/pyproject.toml" \
  --rootdir "$ROOT/python" -o pythonpath= -p no:cacheprovider -q \
  -k "not test_generated_files_match_openapi_json and not test_generator_output_is_fresh" >"$T/pytest.log" 2>&1) \
  || { tail -n 40 "$T/pytest.log"; fail "the SDK's tests against the installed wheel"; }
log "python tests against the installed wheel: $(tail -n 1 "$T/pytest.log")"

# --- the CLI without codex: a clear message, exit 1 --------------------------------------
mv "$T/npm/lib/node_modules/codex-manager/node_modules/@openai" "$T/openai-away"
set +e
(cd "$T/ws" && timeout 60 "${user_env[@]}" codex-manager serve --demo --port 0) >"$T/missing.log" 2>&1
code=$?
set -e
[[ $code == 1 ]] && grep -q "npm install -g @openai/codex" "$T/missing.log" \
  || { cat "$T/missing.log"; fail "serve without codex: exit $code (want 1 and the install hint)"; }
log "serve without codex: exit 1 with the install hint"
echo "release smoke: 3 artifacts built and checked; CLI and wheel installed and run: passed in $((SECONDS - t0)) s"
