"""Python type annotations for JSON Schemas (literals, unions, nullability)."""

from __future__ import annotations

import json
from typing import Any

from .spec import resolve


def literal(values: list[Any]) -> str:
    return "Literal[" + ", ".join(json.dumps(v) for v in values) + "]"


def py_type(doc: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> str:
    """The annotation of an input value of this schema (``Any`` when unsure)."""
    if depth > 6:
        return "Any"
    if "$ref" in schema:
        return py_type(doc, resolve(doc, schema), depth + 1)
    if "const" in schema:
        return literal([schema["const"]])
    if "enum" in schema:
        return literal(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            members = [py_type(doc, s, depth + 1) for s in schema[key]]
            return union(members)
    t = schema.get("type")
    if isinstance(t, list):
        return union([py_type(doc, {**schema, "type": x}, depth + 1) for x in t])
    if t == "string":
        return "str"
    if t == "integer":
        return "int"
    if t == "number":
        return "float"
    if t == "boolean":
        return "bool"
    if t == "null":
        return "None"
    if t == "array":
        items = schema.get("items")
        inner = py_type(doc, items, depth + 1) if isinstance(items, dict) else "Any"
        return f"Sequence[{inner}]"
    if t == "object":
        return "Mapping[str, Any]"
    return "Any"


def union(members: list[str]) -> str:
    flat: list[str] = []
    literals: list[str] = []
    for m in members:
        for part in split_union(m):
            if part == "Any":
                return "Any"
            if part.startswith("Literal["):
                literals.extend(split_literal(part))
            elif part not in flat:
                flat.append(part)
    if literals and "str" in flat:
        literals = []
    out = ([literal_raw(list(dict.fromkeys(literals)))] if literals else []) + [m for m in flat if m != "None"]
    if "None" in flat:
        out.append("None")
    return " | ".join(out) if out else "Any"


def split_union(t: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in t:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return [p for p in parts if p]


def split_literal(t: str) -> list[str]:
    return [x.strip() for x in t[len("Literal[") : -1].split(",")]


def literal_raw(values: list[str]) -> str:
    return "Literal[" + ", ".join(values) + "]"


def nullable(doc: dict[str, Any], schema: dict[str, Any]) -> bool:
    return "None" in split_union(py_type(doc, schema))
