#!/usr/bin/env bash
# `npm run package:python`: the Python SDK (python/) built and checked like a PyPI release.
#   python -m build   an sdist, then a wheel built from that sdist (so the sdist is proven
#                     complete), into python/dist/
#   twine check       the metadata and README render as PyPI would show them (--strict)
# The tools (pinned in python/requirements-release.txt) live in their own venv,
# .tmp/release-venv/, so nothing is installed into the machine's Python.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.tmp/release-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check -q -r python/requirements-release.txt
rm -rf python/dist
"$venv/bin/python" -m build --outdir python/dist python >.tmp/python-build.log 2>&1 \
  || { tail -n 40 .tmp/python-build.log; echo "package:python: python -m build failed (log: .tmp/python-build.log)"; exit 1; }
"$venv/bin/twine" check --strict python/dist/*
ls -l python/dist
