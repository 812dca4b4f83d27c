"""Emits ``_generated/operations.py``: one ``OperationSpec`` per operation."""

from __future__ import annotations

from typing import Any

from .paths import HEADER
from .pytypes import nullable
from .spec import Op
from .tables import ALIASES, LEGACY_KEYS


def emit_operations(doc: dict[str, Any], ops: list[Op], digest: str) -> str:
    out = [
        HEADER,
        '"""Every operation of openapi.json: how to call it (path, parameters, body fields, statuses)."""\n',
        "",
        "from __future__ import annotations",
        "",
        "from .._spec import OperationSpec",
        "",
        '__all__ = ["OPERATIONS", "OPERATIONS_BY_ID", "OPENAPI_SHA256"]',
        "",
        "#: sha256 of the openapi.json these files were generated from.",
        f'OPENAPI_SHA256 = "{digest}"',
        "",
        "OPERATIONS: dict[str, OperationSpec] = {",
    ]
    for op in ops:
        out.append(f'    "{op.key}": OperationSpec(')
        out.append(f'        key="{op.key}",')
        out.append(f'        operation_id="{op.id}",')
        out.append(f'        domain="{op.domain}",')
        out.append(f'        name="{op.name}",')
        out.append(f'        method="{op.method}",')
        out.append(f"        path={op.path!r},")
        out.append(f"        path_params={tuple(f.wire for f in op.path_params)!r},")
        out.append(f"        query_params={tuple(f.wire for f in op.query_params)!r},")
        out.append(f"        body_fields={tuple(f.wire for f in op.body_fields)!r},")
        out.append(f"        body_params={tuple(f.py for f in op.body_fields)!r},")
        nullable_fields = tuple(
            f.wire for f in op.body_fields if nullable(doc, f.schema) or (f.required and f.wire == "value")
        )
        out.append(f"        nullable_fields={nullable_fields!r},")
        out.append(f"        has_body={op.has_body!r},")
        out.append(f"        idempotent={op.idempotent!r},")
        out.append(f"        statuses={tuple(op.statuses)!r},")
        out.append(f"        default_allow={tuple(op.default_allow)!r},")
        out.append(f"        summary={op.summary!r},")
        aliases = tuple(f"{d}.{n}" for d, n in ALIASES.get(op.id, []))
        out.append(f"        aliases={aliases!r},")
        out.append(f"        legacy_keys={LEGACY_KEYS.get(op.key, ())!r},")
        out.append("    ),")
    out.append("}")
    out.append("")
    out.append("OPERATIONS_BY_ID: dict[str, OperationSpec] = {spec.operation_id: spec for spec in OPERATIONS.values()}")
    out.append("")
    return "\n".join(out)
