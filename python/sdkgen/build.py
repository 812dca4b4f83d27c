"""Runs every emitter into a target package and formats the result with ruff."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from .emit_api import emit_api
from .emit_compat import emit_compat_names
from .emit_operations import emit_operations
from .emit_typed import emit_contracts, emit_facade
from .hoist import hoist, run_codegen
from .paths import HEADER, ROOT
from .spec import fix_dangling_refs, load_ops


def ruff_format(paths: list[Path]) -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if not ruff:
        raise SystemExit("ruff not found: pip install -r python/requirements-dev.txt")
    cfg = ROOT / "python" / "pyproject.toml"
    # Lint fixes first (imports, modern syntax), then the formatter, then fixes again for
    # anything the formatter exposed: the result is what `ruff check`/`ruff format` accept.
    fix = ["check", "--fix", "--exit-zero", "--silent"]
    for step in (fix, ["format", "--quiet"], fix, ["format", "--quiet"]):
        subprocess.run([ruff, *step, "--config", str(cfg), *map(str, paths)], check=True)


def generate(openapi: Path, target: Path) -> list[str]:
    raw = openapi.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    doc = json.loads(raw)
    fixed = fix_dangling_refs(doc)
    ops = load_ops(doc)
    hoisted = hoist(doc, ops)
    (target / "_generated").mkdir(parents=True, exist_ok=True)
    (target / "typed").mkdir(parents=True, exist_ok=True)
    (target / "_generated" / "__init__.py").write_text(HEADER + '"""Code generated from openapi.json."""\n')
    files = {
        target / "_generated" / "operations.py": emit_operations(doc, ops, digest),
        target / "_generated" / "api.py": emit_api(doc, ops),
        target / "typed" / "_contracts.py": emit_contracts(ops),
        target / "typed" / "_facade.py": emit_facade(doc, ops),
    }
    for path, text in files.items():
        path.write_text(text)
    run_codegen(hoisted, target / "typed" / "models.py")
    compat = target / "typed" / "_compat_names.py"
    compat.write_text(emit_compat_names(ops, (target / "typed" / "models.py").read_text()))
    ruff_format([*files, target / "typed" / "models.py", compat])
    return fixed


GENERATED_FILES = [
    "_generated/__init__.py",
    "_generated/operations.py",
    "_generated/api.py",
    "typed/_contracts.py",
    "typed/_facade.py",
    "typed/models.py",
    "typed/_compat_names.py",
]
