"""Emits ``typed/_contracts.py`` and ``typed/_facade.py``: the typed facade (``cm.typed``)."""

from __future__ import annotations

from typing import Any

from .emit_api import docstring, domain_methods, param_decl, pyrepr
from .paths import HEADER
from .pytypes import py_type, split_union
from .spec import Op, class_prefix
from .tables import DOMAIN_DOCS, PARAM_DEFAULTS


def emit_contracts(ops: list[Op]) -> str:
    out = [
        HEADER,
        '"""Which typed model validates each operation\'s request body and each status\'s response."""\n',
        "",
        "from __future__ import annotations",
        "",
        '__all__ = ["REQUEST_MODELS", "RESPONSE_MODELS"]',
        "",
        "#: operation key -> name of the model (in ``codex_manager.typed.models``) of its request body.",
        "REQUEST_MODELS: dict[str, str] = {",
    ]
    for op in ops:
        if op.body_model:
            out.append(f'    "{op.key}": "{op.body_model}",')
    out.append("}")
    out.append("")
    out.append("#: operation key -> {status: model name, or None when the answer has no JSON body}.")
    out.append("RESPONSE_MODELS: dict[str, dict[int, str | None]] = {")
    for op in ops:
        inner = ", ".join(f"{s}: {pyrepr(m)}" for s, m in sorted(op.response_models.items()))
        out.append(f'    "{op.key}": {{{inner}}},')
    out.append("}")
    out.append("")
    return "\n".join(out)


def return_type(op: Op) -> str:
    names: list[str] = []
    for s in [*op.success_statuses, *op.default_allow]:
        m = op.response_models.get(s)
        if m and f"m.{m}" not in names:
            names.append(f"m.{m}")
    return " | ".join(names) if names else "None"


def emit_facade(doc: dict[str, Any], ops: list[Op]) -> str:
    out = [
        HEADER,
        '"""The typed facade (``cm.typed`` / ``acm.typed``): every operation with its request\n'
        "validated by and its response parsed into the generated Pydantic models.\n\n"
        "Each method takes the same keyword arguments as the plain client's method, or the whole\n"
        "body as ``payload`` (a model instance or a mapping), plus ``validate`` (``None``: follow\n"
        "the client's validation mode; with validation off the raw JSON is returned).\n"
        '"""\n',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Iterable, Mapping, Sequence",
        "from typing import Any, Literal",
        "",
        "from pydantic import BaseModel",
        "",
        "from .._base import UNSET, UnsetType",
        "from . import models as m",
        "from ._runtime import AsyncTypedDomain, SyncTypedDomain, fields_of",
        "",
        "__all__ = [",
    ]
    domains = domain_methods(ops)
    for d in domains:
        out += [f'    "Typed{class_prefix(d)}Api",', f'    "AsyncTyped{class_prefix(d)}Api",']
    out += ["]", ""]
    for d, methods in domains.items():
        for asynchronous in (False, True):
            cls = f"{'Async' if asynchronous else ''}Typed{class_prefix(d)}Api"
            base = "AsyncTypedDomain" if asynchronous else "SyncTypedDomain"
            out.append("")
            out.append(f"class {cls}({base}):")
            out.append(f'    """Typed ``{d}``: {DOMAIN_DOCS.get(d, "")}"""')
            out.append("")
            out.append("    __slots__ = ()")
            for method_name, op in methods:
                out.append("")
                out += emit_typed_method(doc, op, method_name, asynchronous)
    return "\n".join(out) + "\n"


def emit_typed_method(doc: dict[str, Any], op: Op, method_name: str, asynchronous: bool) -> list[str]:
    params = ["self"]
    body_fields = [] if op.payload_mode else op.body_fields
    if op.has_body:
        params.append("payload: BaseModel | Mapping[str, Any] | None = None")
    params.append("*")
    decls = [param_decl(doc, op, f) for f in [*op.path_params, *op.query_params]]
    params += [d for d, has_default in decls if not has_default] + [d for d, has_default in decls if has_default]
    for f in body_fields:
        t = py_type(doc, f.schema)
        default = PARAM_DEFAULTS.get((op.id, f.wire))
        if default is not None:
            params.append(f"{f.py}: {t} = {default}")
            continue
        t = t if "None" in split_union(t) else f"{t} | None"
        params.append(f"{f.py}: {t} | UnsetType = UNSET")
    params += [
        "validate: bool | None = None",
        "allow_statuses: Iterable[int] | None = None",
        "headers: Mapping[str, str] | None = None",
    ]
    kw = "async def" if asynchronous else "def"
    rt = return_type(op)
    lines = [f"    {kw} {method_name}(", *[f"        {p}," for p in params], f"    ) -> {rt}:"]
    extra = ["payload: the whole request body (instead of the keyword fields)."] if op.has_body else []
    lines.append(docstring(op, [*op.path_params, *op.query_params, *body_fields], "        ", extra))
    args = [f'"{op.key}"']
    if op.path_params:
        args.append("path={" + ", ".join(f'"{f.wire}": {f.py}' for f in op.path_params) + "}")
    if op.query_params:
        args.append("query={" + ", ".join(f'"{f.wire}": {f.py}' for f in op.query_params) + "}")
    if op.has_body:
        inner = ", ".join(f'"{f.py}": {f.py}' for f in body_fields)
        args.append("payload=payload")
        args.append(f"fields=fields_of({{{inner}}})")
    args += ["validate=validate", "allow_statuses=allow_statuses", "headers=headers"]
    aw = "await " if asynchronous else ""
    lines.append(f"        return {aw}self._typed_call(  # type: ignore[no-any-return]")
    lines += [f"            {a}," for a in args]
    lines.append("        )")
    return lines
