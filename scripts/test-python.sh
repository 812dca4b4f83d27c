#!/usr/bin/env bash
# The Python SDK's checks: a venv with the pinned dev dependencies, lint, strict types,
# then unit and integration tests (the integration tests start a real bridge from dist/,
# so run `npm run build` first; `npm test` does).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x python/.venv/bin/python ] || python3 -m venv python/.venv
python/.venv/bin/pip install --disable-pip-version-check -q -r python/requirements-dev.txt
python/.venv/bin/pip install --disable-pip-version-check -q --no-deps -e python
cd python
.venv/bin/ruff check src tests sdkgen ../scripts/generate-python-models.py
.venv/bin/ruff format --check src tests sdkgen ../scripts/generate-python-models.py
.venv/bin/mypy
.venv/bin/mypy --strict sdkgen
.venv/bin/python ../scripts/generate-python-models.py --check
.venv/bin/pytest -q
