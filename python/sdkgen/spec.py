"""Reading the OpenAPI document: naming helpers, dangling $ref repair and the per-operation model (Op, Field_)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from .tables import COMPAT_ALLOW, LEGACY_KEYS, PARAM_RENAMES, PAYLOAD_OPERATIONS


def snake(name: str) -> str:
    out = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    return out.replace("-", "_")


def pascal(name: str) -> str:
    return name[0].upper() + name[1:]


def class_prefix(domain: str) -> str:
    return "".join(part.capitalize() for part in domain.split("_"))


def fix_dangling_refs(doc: dict[str, Any]) -> list[str]:
    """Inline ``$ref``s to components the document does not define.

    zod names a schema reused by two operations ``__<operationId>__<part>_<field>``; when
    only the id'd components are kept, those refs dangle. The schema they mean is that
    operation's parameter of that name, so it is inlined from there.
    """
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    params: dict[tuple[str, str, str], Any] = {}
    for item in doc["paths"].values():
        for op in item.values():
            for p in op.get("parameters", []):
                params[(op["operationId"], p["in"], p["name"])] = p["schema"]
    fixed: list[str] = []

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in schemas:
                    m = re.fullmatch(r"__(\w+?)__(query|params|path|header)_(\w+)", name)
                    where = {"params": "path"}.get(m.group(2), m.group(2)) if m else ""
                    target = params.get((m.group(1), where, m.group(3))) if m else None
                    if target is None:
                        raise SystemExit(f"openapi.json: unresolvable $ref {ref}")
                    fixed.append(name)
                    rest = {k: v for k, v in node.items() if k != "$ref"}
                    return {**copy.deepcopy(target), **rest}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    doc["paths"] = walk(doc["paths"])
    doc["components"]["schemas"] = walk(schemas)
    return sorted(set(fixed))


@dataclass
class Field_:
    wire: str
    py: str
    schema: dict[str, Any]
    required: bool
    where: str  # path | query | body
    description: str = ""


@dataclass
class Op:
    id: str
    domain: str
    name: str
    method: str
    path: str  # without /api
    summary: str
    idempotent: bool
    statuses: list[int]
    path_params: list[Field_] = field(default_factory=list)
    query_params: list[Field_] = field(default_factory=list)
    body_fields: list[Field_] = field(default_factory=list)
    has_body: bool = False
    body_required: bool = False
    body_schema: dict[str, Any] | None = None
    body_model: str | None = None
    response_models: dict[int, str | None] = field(default_factory=dict)
    default_allow: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.domain}.{self.name}"

    @property
    def payload_mode(self) -> bool:
        return self.id in PAYLOAD_OPERATIONS

    @property
    def success_statuses(self) -> list[int]:
        return [s for s in self.statuses if 200 <= s < 300]


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def body_properties(doc: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """Properties of an object body (the union of a oneOf's branches) and the required ones."""
    s = resolve(doc, schema)
    branches = s.get("oneOf") or s.get("anyOf")
    if branches:
        props: dict[str, Any] = {}
        required: set[str] | None = None
        for b in branches:
            bp, br = body_properties(doc, b)
            for k, v in bp.items():
                if k in props and props[k] != v:
                    props[k] = merge_alternatives(doc, props[k], v)
                else:
                    props.setdefault(k, v)
            required = br if required is None else required & br
        return props, required or set()
    return dict(s.get("properties", {})), set(s.get("required", []))


def merge_alternatives(doc: dict[str, Any], a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    ra, rb = resolve(doc, a), resolve(doc, b)
    values: list[Any] = []
    for r in (ra, rb):
        if "const" in r:
            values.append(r["const"])
        elif "enum" in r:
            values.extend(r["enum"])
        else:
            return {"anyOf": [a, b]}
    return {"type": "string", "enum": list(dict.fromkeys(values))}


def load_ops(doc: dict[str, Any]) -> list[Op]:
    ops: list[Op] = []
    for path, item in doc["paths"].items():
        for method, raw in item.items():
            meta = raw["x-codex-manager"]
            op = Op(
                id=raw["operationId"],
                domain=meta["domain"],
                name=meta["name"],
                method=method.upper(),
                path=path[len("/api") :] if path.startswith("/api") else path,
                summary=raw.get("summary", ""),
                idempotent=bool(meta.get("idempotent")),
                statuses=sorted(int(s) for s in raw["responses"]),
            )
            for p in raw.get("parameters", []):
                f = Field_(
                    wire=p["name"],
                    py=PARAM_RENAMES.get((op.id, p["name"]), snake(p["name"])),
                    schema=p["schema"],
                    required=bool(p.get("required")),
                    where=p["in"],
                    description=p.get("description") or p["schema"].get("description", ""),
                )
                (op.path_params if p["in"] == "path" else op.query_params).append(f)
            rb = raw.get("requestBody")
            if rb:
                schema = rb["content"]["application/json"]["schema"]
                op.has_body = True
                op.body_required = bool(rb.get("required"))
                op.body_schema = schema
                props, required = body_properties(doc, schema)
                for name, s in props.items():
                    op.body_fields.append(
                        Field_(
                            wire=name,
                            py=PARAM_RENAMES.get((op.id, name), snake(name)),
                            schema=s,
                            required=name in required,
                            where="body",
                            description=resolve(doc, s).get("description", "")
                            if "$ref" in s
                            else s.get("description", ""),
                        )
                    )
            op.default_allow = tuple(s for s in COMPAT_ALLOW.get(op.key, ()) if s in op.statuses)
            ops.append(op)
    keys = [o.key for o in ops]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise SystemExit(f"duplicate client names: {sorted(dupes)}")
    for k in [*COMPAT_ALLOW, *LEGACY_KEYS]:
        if k not in keys:
            raise SystemExit(f"a compatibility table names an unknown operation {k}")
    return ops
