"""Emits ``typed/_compat_names.py``: codex-manager's model names bound to our models."""

from __future__ import annotations

import re

from .paths import HEADER
from .spec import Op
from .tables import CODEX_MANAGER_MODEL_NAMES


def emit_compat_names(ops: list[Op], models_source: str) -> str:
    """One alias per entry of CODEX_MANAGER_MODEL_NAMES; fails when a target does not exist."""
    defined = set(re.findall(r"^class (\w+)\(", models_source, re.M)) | set(
        re.findall(r"^(\w+) = ", models_source, re.M)
    )
    by_id = {op.id: op for op in ops}
    lines: list[str] = []
    for name, target in sorted(CODEX_MANAGER_MODEL_NAMES.items()):
        if ":" in target:
            op_id, status = target.split(":")
            op = by_id.get(op_id)
            model = op.response_models.get(int(status)) if op else None
        else:
            model = target
        if not model or model not in defined:
            raise SystemExit(f"codex-manager model name {name}: no model for {target}")
        if name in defined:
            raise SystemExit(f"codex-manager model name {name} is already one of ours: drop its entry")
        lines.append(f"{name} = _m.{model}")
    return "\n".join(
        [
            HEADER,
            '"""codex-manager\'s names for our typed models, so its code imports them unchanged."""\n',
            "",
            "from __future__ import annotations",
            "",
            "from . import models as _m",
            "",
            f"__all__ = {sorted(CODEX_MANAGER_MODEL_NAMES)!r}",
            "",
            *lines,
            "",
        ]
    )
