"""Emits ``_generated/api.py``: the sync and async domain classes and their method signatures."""

from __future__ import annotations

import keyword
from typing import Any

from .paths import HEADER
from .pytypes import nullable, py_type, split_union, union
from .spec import Field_, Op, class_prefix
from .tables import ALIASES, DOMAIN_DOCS, IGNORED_PARAMS, ONE_OF_GROUPS, PARAM_DEFAULTS, SENT_WITH, STREAM_OPERATIONS


def pyrepr(value: Any) -> str:
    return repr(value)


def signature_fields(op: Op) -> list[Field_]:
    if op.payload_mode:
        return [*op.path_params, *op.query_params]
    fields = [*op.path_params, *op.body_fields, *op.query_params]
    names = [f.py for f in fields]
    clash = {n for n in names if names.count(n) > 1} | {n for n in names if keyword.iskeyword(n)}
    clash |= {n for n in names if n in {"self", "allow_statuses", "headers", "payload", "validate"}}
    if clash:
        raise SystemExit(f"{op.id}: parameter names clash: {sorted(clash)} (add a PARAM_RENAMES entry)")
    return fields


def param_decl(doc: dict[str, Any], op: Op, f: Field_) -> tuple[str, bool]:
    """The declaration of one keyword parameter, and whether it has a default."""
    t = py_type(doc, f.schema)
    default = PARAM_DEFAULTS.get((op.id, f.wire))
    if f.required and default is None:
        return f"{f.py}: {t}", False
    if default is not None:
        return f"{f.py}: {t} = {default}", True
    if f.where == "body" and nullable(doc, f.schema):
        return f"{f.py}: {union([t])} | UnsetType = UNSET", True
    t_opt = t if "None" in split_union(t) else f"{t} | None"
    return f"{f.py}: {t_opt} = None", True


def docstring(op: Op, fields: list[Field_], indent: str, extra: list[str] | None = None) -> str:
    lines = [op.summary.rstrip(".") + "." if op.summary else f"{op.id}."]
    lines.append("")
    lines.append(f"``{op.method} /api{op.path}`` (``{op.id}``).")
    if op.default_allow:
        lines.append(f"Returns the body of a {', '.join(map(str, op.default_allow))} answer instead of raising")
        lines.append("(pass ``allow_statuses`` to change that).")
    described = [f for f in fields if f.description]
    if described or extra:
        lines.append("")
        lines.append("Args:")
        for f in described:
            lines.append(f"    {f.py}: {one_line(f.description)}")
        for e in extra or []:
            lines.append(f"    {e}")
    body = "\n".join((indent + ln) if ln else "" for ln in lines)
    return f'{indent}"""{body.lstrip()}\n{indent}"""'


def one_line(text: str) -> str:
    return " ".join(text.split()).replace('"""', "'''").replace("\\", "\\\\")


def call_args(doc: dict[str, Any], op: Op) -> list[str]:
    args: list[str] = []
    if op.path_params:
        inner = ", ".join(f'"{f.wire}": {f.py}' for f in op.path_params)
        args.append(f"path={{{inner}}}")
    if op.query_params:
        inner = ", ".join(f'"{f.wire}": {f.py}' for f in op.query_params)
        args.append(f"query={{{inner}}}")
    if op.has_body:
        if op.payload_mode:
            args.append("body=payload")
        elif op.body_fields:
            parts = []
            for f in op.body_fields:
                kind = body_kind(doc, op, f)
                parts.append(f'("{f.wire}", {f.py}, {kind})')
            args.append("body=build_body(" + ", ".join(parts) + ")")
        else:
            args.append("body={}")
    return args


def body_kind(doc: dict[str, Any], op: Op, f: Field_) -> str:
    """0: always sent; 1: sent unless None; 2: sent unless UNSET; 'name': sent when name is given."""
    with_ = SENT_WITH.get((op.id, f.wire))
    if with_:
        return f'"{with_}"'
    if f.required:
        return "0"
    if nullable(doc, f.schema):
        return "2"
    return "1"


def emit_api(doc: dict[str, Any], ops: list[Op]) -> str:
    out: list[str] = [
        HEADER,
        '"""Domain APIs of the sync and async clients: one method per operation of openapi.json."""\n',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Iterable, Mapping, Sequence",
        "from typing import Any, Literal",
        "",
        "from .._base import UNSET, AsyncDomain, SyncDomain, UnsetType, build_body, require_one_of",
        "",
        "__all__ = [",
    ]
    domains = domain_methods(ops)
    names = []
    for d in domains:
        names += [f"{class_prefix(d)}Api", f"Async{class_prefix(d)}Api"]
    out += [f'    "{n}",' for n in names] + ["]", ""]
    for d, methods in domains.items():
        for asynchronous in (False, True):
            cls = f"{'Async' if asynchronous else ''}{class_prefix(d)}Api"
            base = "AsyncDomain" if asynchronous else "SyncDomain"
            out.append("")
            out.append(f"class {cls}({base}):")
            out.append(f'    """``{d}``: {DOMAIN_DOCS.get(d, "")}"""')
            out.append("")
            out.append("    __slots__ = ()")
            for method_name, op in methods:
                out.append("")
                out += emit_method(doc, op, method_name, asynchronous)
    return "\n".join(out) + "\n"


def domain_methods(ops: list[Op]) -> dict[str, list[tuple[str, Op]]]:
    domains: dict[str, list[tuple[str, Op]]] = {}
    for op in ops:
        if op.id in STREAM_OPERATIONS:
            continue
        domains.setdefault(op.domain, []).append((op.name, op))
        for d, n in ALIASES.get(op.id, []):
            domains.setdefault(d, []).append((n, op))
    return domains


def emit_method(doc: dict[str, Any], op: Op, method_name: str, asynchronous: bool) -> list[str]:
    fields = signature_fields(op)
    required = [param_decl(doc, op, f)[0] for f in fields if not param_decl(doc, op, f)[1]]
    optional = [param_decl(doc, op, f)[0] for f in fields if param_decl(doc, op, f)[1]]
    ignored = [f"{n}: {t} = None" for n, t in IGNORED_PARAMS.get(op.id, [])]
    params = ["self"]
    if op.payload_mode:
        params.append("payload: Mapping[str, Any]")
    params.append("*")
    params += required + optional + ignored
    params += ["allow_statuses: Iterable[int] | None = None", "headers: Mapping[str, str] | None = None"]
    kw = "async def" if asynchronous else "def"
    lines = [f"    {kw} {method_name}(", *[f"        {p}," for p in params], "    ) -> Any:"]
    extra = [f"{n}: accepted for compatibility with codex-manager; ignored." for n, _ in IGNORED_PARAMS.get(op.id, [])]
    if op.payload_mode:
        extra.insert(0, "payload: the whole request body.")
    lines.append(docstring(op, fields, "        ", extra))
    for n, _ in IGNORED_PARAMS.get(op.id, []):
        lines.append(f"        del {n}")
    group = ONE_OF_GROUPS.get(op.id)
    if group:
        py = {f.wire: f.py for f in op.body_fields}
        inner = ", ".join(f'"{py[g]}": {py[g]}' for g in group)
        lines.append(f"        require_one_of({{{inner}}})")
    args = [f'"{op.key}"', *call_args(doc, op), "allow_statuses=allow_statuses", "headers=headers"]
    aw = "await " if asynchronous else ""
    lines.append(f"        return {aw}self._call(")
    lines += [f"            {a}," for a in args]
    lines.append("        )")
    return lines
