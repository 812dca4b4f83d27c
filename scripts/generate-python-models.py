#!/usr/bin/env python3
"""Generate the Python SDK's operation table, domain APIs, typed models and typed facade.

Everything comes from the bridge's checked-in ``openapi.json`` (itself generated from the
operation table); nothing here is written by hand per operation except the small
compatibility tables below (codex-manager's Python parameter names and the non-2xx
answers its methods return instead of raising).

Outputs (checked in, under ``python/src/codex_manager/``):

- ``_generated/operations.py``: one ``OperationSpec`` per operation;
- ``_generated/api.py``: the sync and async domain classes (``cm.sessions.send_message``);
- ``typed/models.py``: Pydantic v2 models (datamodel-code-generator) for every request
  body and every response of every status;
- ``typed/_contracts.py`` and ``typed/_facade.py``: the typed facade (``cm.typed``).

The generator itself lives in ``python/sdkgen/`` (one module per job); this script is its
command line.

Usage (with the SDK's dev venv, which has datamodel-code-generator and ruff)::

    python/.venv/bin/python scripts/generate-python-models.py          # write
    python/.venv/bin/python scripts/generate-python-models.py --check  # exit 1 when stale
"""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))

from sdkgen.build import GENERATED_FILES, generate
from sdkgen.paths import OPENAPI, PKG, ROOT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the checked-in files; exit 1 when stale")
    parser.add_argument("--openapi", type=Path, default=OPENAPI)
    args = parser.parse_args()
    if not args.check:
        fixed = generate(args.openapi, PKG)
        if fixed:
            print(f"note: inlined dangling $refs in openapi.json: {', '.join(fixed)}", file=sys.stderr)
        print(f"wrote {', '.join(GENERATED_FILES)} under {PKG.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "codex_manager"
        generate(args.openapi, target)
        stale = []
        for rel in GENERATED_FILES:
            want = (target / rel).read_text()
            have_path = PKG / rel
            have = have_path.read_text() if have_path.exists() else ""
            if want != have:
                stale.append(rel)
                diff = difflib.unified_diff(
                    have.splitlines(), want.splitlines(), f"checked-in/{rel}", f"generated/{rel}", lineterm="", n=1
                )
                print("\n".join(list(diff)[:40]), file=sys.stderr)
        if stale:
            print(
                f"stale: {', '.join(stale)}; run: python/.venv/bin/python scripts/generate-python-models.py",
                file=sys.stderr,
            )
            return 1
    print("generated Python SDK files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
