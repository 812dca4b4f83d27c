"""JSON Schema from a Python callable: its signature, type hints and docstring.

Used by remote skills: a function becomes a dynamic tool whose ``inputSchema`` says what
arguments it takes. Docstrings in Google (``Args:``), NumPy (``Parameters`` + dashes) and
Sphinx (``:param x:``) style give the tool's description and each parameter's.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import inspect
import json
import re
import types
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Annotated, Any, Literal, NotRequired, Required, Union, get_args, get_origin

__all__ = [
    "Docstring",
    "annotation_schema",
    "coerce_argument",
    "infer_input_schema",
    "is_injected",
    "parse_docstring",
]

_MAX_DEPTH = 12


@dataclass(slots=True)
class Docstring:
    summary: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)
    returns: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(p for p in (self.summary, self.description) if p)


_GOOGLE_SECTIONS = {
    "args": "params",
    "arguments": "params",
    "parameters": "params",
    "params": "params",
    "keyword args": "params",
    "keyword arguments": "params",
    "returns": "returns",
    "return": "returns",
    "yields": "returns",
    "raises": "other",
    "examples": "other",
    "example": "other",
    "notes": "other",
    "note": "other",
    "see also": "other",
    "attributes": "other",
    "warns": "other",
    "references": "other",
}


def parse_docstring(doc: str | None) -> Docstring:
    """Summary, long description, parameter and return descriptions of a docstring."""
    if not doc:
        return Docstring()
    lines = inspect.cleandoc(doc).splitlines()
    out = Docstring()
    body: list[str] = []
    i = 0
    section: str | None = None
    current: str | None = None
    returns: list[str] = []

    def add_param(name: str, text: str) -> None:
        name = name.strip().lstrip("*")
        if name:
            out.params[name] = " ".join(text.split())

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        # Sphinx / reST fields
        m = re.match(r"^:(param|parameter|arg|argument|key|keyword)\s+(?:[^:]*\s)?(\*{0,2}\w+):\s*(.*)$", stripped)
        if m:
            text = [m.group(3)]
            while (
                i + 1 < len(lines) and lines[i + 1].startswith((" ", "\t")) and not lines[i + 1].strip().startswith(":")
            ):
                i += 1
                text.append(lines[i].strip())
            add_param(m.group(2), " ".join(text))
            section = "sphinx"
            i += 1
            continue
        m = re.match(r"^:(returns?|yields?):\s*(.*)$", stripped)
        if m:
            text = [m.group(2)]
            while i + 1 < len(lines) and lines[i + 1].startswith((" ", "\t")):
                i += 1
                text.append(lines[i].strip())
            out.returns = " ".join(" ".join(text).split())
            section = "sphinx"
            i += 1
            continue
        if stripped.startswith(":") and re.match(r"^:\w+", stripped):
            section = "sphinx"
            i += 1
            continue
        # NumPy section headers: "Parameters" followed by a line of dashes
        if i + 1 < len(lines) and re.match(r"^-{3,}\s*$", lines[i + 1].strip()) and stripped:
            name = stripped.lower()
            section = (
                "np_params"
                if name in ("parameters", "params", "other parameters")
                else ("np_returns" if name in ("returns", "yields") else "other")
            )
            current = None
            i += 2
            continue
        # Google section headers: "Args:"
        m = re.match(r"^([A-Za-z][A-Za-z ]*):\s*$", stripped)
        if m and m.group(1).lower() in _GOOGLE_SECTIONS and not line.startswith((" ", "\t")):
            kind = _GOOGLE_SECTIONS[m.group(1).lower()]
            section = {"params": "g_params", "returns": "g_returns"}.get(kind, "other")
            current = None
            i += 1
            continue
        if section is None:
            body.append(line)
        elif section == "g_params":
            m = re.match(r"^\s+(\*{0,2}\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$", line)
            if m and (len(line) - len(line.lstrip())) <= _indent_of_first(lines, i):
                current = m.group(1)
                add_param(current, m.group(3))
            elif stripped and current:
                add_param(current, out.params.get(current.lstrip("*"), "") + " " + stripped)
        elif section == "g_returns":
            if stripped:
                returns.append(re.sub(r"^\w[\w\[\], .|]*:\s+", "", stripped) if not returns else stripped)
        elif section == "np_params":
            m = re.match(r"^(\*{0,2}\w+)\s*(?::.*)?$", line)
            if m and not line.startswith((" ", "\t")):
                current = m.group(1)
                add_param(current, "")
            elif stripped and current:
                add_param(current, (out.params.get(current.lstrip("*"), "") + " " + stripped).strip())
        elif section == "np_returns" and line.startswith((" ", "\t")) and stripped:
            returns.append(stripped)
        i += 1
    if returns and out.returns is None:
        out.returns = " ".join(" ".join(returns).split())
    paragraphs = [p.strip() for p in "\n".join(body).strip().split("\n\n") if p.strip()]
    if paragraphs:
        out.summary = " ".join(paragraphs[0].split())
        out.description = "\n\n".join(" ".join(p.split()) for p in paragraphs[1:])
    return out


def _indent_of_first(lines: list[str], i: int) -> int:
    """Indentation of the parameter lines of the Google section containing line ``i``."""
    j = i
    while j > 0 and lines[j - 1].strip() and not re.match(r"^[A-Za-z][A-Za-z ]*:\s*$", lines[j - 1].strip()):
        j -= 1
    first = lines[j] if j < len(lines) else lines[i]
    return len(first) - len(first.lstrip())


def _literal_type(values: Sequence[Any]) -> str | None:
    kinds = set()
    for v in values:
        if isinstance(v, bool):
            kinds.add("boolean")
        elif isinstance(v, int):
            kinds.add("integer")
        elif isinstance(v, float):
            kinds.add("number")
        elif isinstance(v, str):
            kinds.add("string")
        elif v is None:
            kinds.add("null")
        else:
            return None
    if len(kinds) == 1:
        return kinds.pop()
    if kinds == {"integer", "number"}:
        return "number"
    return None


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    t = schema.get("type")
    if isinstance(t, str) and "enum" not in schema:
        return {**schema, "type": [t, "null"]}
    if isinstance(t, list):
        return schema if "null" in t else {**schema, "type": [*t, "null"]}
    if not schema:
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def _hints(target: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(target, include_extras=True)
    except Exception:
        return {}


def annotation_schema(annotation: Any, *, _depth: int = 0, _seen: frozenset[int] = frozenset()) -> dict[str, Any]:
    """The JSON Schema of values of a type annotation (``{}`` when anything goes)."""
    if _depth > _MAX_DEPTH:
        return {}
    if annotation is inspect.Parameter.empty or annotation is Any or annotation is object:
        return {}
    if annotation is None or annotation is type(None):
        return {"type": "null"}
    d, seen = _depth + 1, _seen
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        schema = annotation_schema(args[0], _depth=d, _seen=seen)
        for meta in args[1:]:
            description = meta if isinstance(meta, str) else getattr(meta, "description", None)
            if isinstance(description, str) and description:
                schema = {**schema, "description": description}
        return schema
    if origin in (Required, NotRequired):
        return annotation_schema(args[0], _depth=d, _seen=seen) if args else {}
    if origin in (Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        optional = len(members) < len(args)
        if len(members) == 1:
            schema = annotation_schema(members[0], _depth=d, _seen=seen)
        else:
            schema = {"anyOf": [annotation_schema(a, _depth=d, _seen=seen) for a in members]}
        return _nullable(schema) if optional else schema
    if origin is Literal:
        values = list(args)
        schema = {"enum": values}
        kind = _literal_type(values)
        if kind:
            schema["type"] = kind
        return schema
    if origin in (list, set, frozenset, Sequence, typing.Sequence, typing.MutableSequence, typing.AbstractSet) or (
        isinstance(origin, type)
        and origin is not tuple
        and issubclass(origin, Sequence | set | frozenset)
        and not issubclass(origin, str | bytes)
    ):
        schema = {"type": "array"}
        if args:
            items = annotation_schema(args[0], _depth=d, _seen=seen)
            if items:
                schema["items"] = items
        if origin in (set, frozenset):
            schema["uniqueItems"] = True
        return schema
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            items = annotation_schema(args[0], _depth=d, _seen=seen)
            return {"type": "array", **({"items": items} if items else {})}
        if args:
            return {
                "type": "array",
                "prefixItems": [annotation_schema(a, _depth=d, _seen=seen) for a in args],
                "minItems": len(args),
                "maxItems": len(args),
            }
        return {"type": "array"}
    if origin in (dict, Mapping, typing.Mapping, typing.MutableMapping) or (
        isinstance(origin, type) and issubclass(origin, Mapping)
    ):
        obj: dict[str, Any] = {"type": "object"}
        if len(args) == 2:
            value_schema = annotation_schema(args[1], _depth=d, _seen=seen)
            if value_schema:
                obj["additionalProperties"] = value_schema
        return obj
    if not isinstance(annotation, type):
        return {}
    if id(annotation) in seen:
        return {"type": "object"}
    seen = seen | {id(annotation)}
    if issubclass(annotation, enum.Enum):
        values = [m.value for m in annotation]
        schema = {"enum": values}
        kind = _literal_type(values)
        if kind:
            schema["type"] = kind
        return schema
    if issubclass(annotation, bool):
        return {"type": "boolean"}
    if issubclass(annotation, int):
        return {"type": "integer"}
    if issubclass(annotation, float):
        return {"type": "number"}
    if issubclass(annotation, str):
        return {"type": "string"}
    if issubclass(annotation, bytes | bytearray):
        return {"type": "string", "contentEncoding": "base64"}
    if issubclass(annotation, _dt.datetime):
        return {"type": "string", "format": "date-time"}
    if issubclass(annotation, _dt.date):
        return {"type": "string", "format": "date"}
    if issubclass(annotation, _dt.time):
        return {"type": "string", "format": "time"}
    if issubclass(annotation, uuid.UUID):
        return {"type": "string", "format": "uuid"}
    if issubclass(annotation, PurePath):
        return {"type": "string"}
    if typing.is_typeddict(annotation):
        hints = _hints(annotation)
        required_keys = getattr(annotation, "__required_keys__", frozenset(hints))
        props = {k: annotation_schema(v, _depth=d, _seen=seen) for k, v in hints.items()}
        schema = {"type": "object", "properties": props, "additionalProperties": False}
        required = []
        for key, hint in hints.items():
            marker = get_origin(hint)
            if marker is Required or (marker is not NotRequired and key in required_keys):
                required.append(key)
        if required:
            schema["required"] = required
        return schema
    model_schema = getattr(annotation, "model_json_schema", None)
    if callable(model_schema):
        try:
            result = model_schema()
            if isinstance(result, dict):
                return result
        except Exception:
            pass
    if dataclasses.is_dataclass(annotation):
        hints = _hints(annotation)
        props = {}
        required = []
        for f in dataclasses.fields(annotation):
            if not f.init:
                continue
            props[f.name] = annotation_schema(hints.get(f.name, f.type), _depth=d, _seen=seen)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                required.append(f.name)
        schema = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            schema["required"] = required
        return schema
    if issubclass(annotation, tuple) and hasattr(annotation, "_fields"):
        hints = _hints(annotation)
        defaults = getattr(annotation, "_field_defaults", {})
        schema = {
            "type": "object",
            "properties": {n: annotation_schema(hints.get(n, Any), _depth=d, _seen=seen) for n in annotation._fields},
            "additionalProperties": False,
        }
        required = [n for n in annotation._fields if n not in defaults]
        if required:
            schema["required"] = required
        return schema
    if issubclass(annotation, list | tuple | set | frozenset):
        return {"type": "array"}
    if issubclass(annotation, dict):
        return {"type": "object"}
    return {"type": "object"}


def _json_default(value: Any) -> tuple[bool, Any]:
    if isinstance(value, enum.Enum):
        value = value.value
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False, None
    return True, value


def is_injected(annotation: Any) -> bool:
    """Whether a parameter asks for the :class:`~codex_manager.ToolCall` (``ToolCall | None`` too)."""
    from .remote_skills import ToolCall

    if annotation is ToolCall:
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return is_injected(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(a is ToolCall for a in get_args(annotation))
    return False


def infer_input_schema(handler: Callable[..., Any]) -> tuple[dict[str, Any], Docstring]:
    """The ``inputSchema`` of a tool calling ``handler``, and its parsed docstring."""
    doc = parse_docstring(inspect.getdoc(handler))
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError):
        return {"type": "object", "properties": {}, "additionalProperties": True}, doc
    hints = _hints(handler)
    props: dict[str, Any] = {}
    required: list[str] = []
    extra = False
    for param in signature.parameters.values():
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            continue
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            extra = True
            continue
        annotation = hints.get(param.name, param.annotation)
        if is_injected(annotation):
            continue
        schema = annotation_schema(annotation)
        if param.name in doc.params and "description" not in schema:
            schema = {**schema, "description": doc.params[param.name]}
        if param.default is inspect.Parameter.empty:
            required.append(param.name)
        else:
            ok, value = _json_default(param.default)
            if ok and param.default is not None:
                schema = {**schema, "default": value}
        props[param.name] = schema
    result: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": extra}
    if required:
        result["required"] = required
    if doc.text:
        result["description"] = doc.text
    return result, doc


def coerce_argument(annotation: Any, value: Any) -> Any:
    """Turn a JSON value into the annotated type where that is unambiguous."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return coerce_argument(get_args(annotation)[0], value)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if value is None or len(members) != 1:
            return value
        return coerce_argument(members[0], value)
    if not isinstance(annotation, type):
        return value
    try:
        if issubclass(annotation, enum.Enum) and not isinstance(value, annotation):
            return annotation(value)
        validate = getattr(annotation, "model_validate", None)
        if callable(validate) and isinstance(value, dict):
            return validate(value)
        if dataclasses.is_dataclass(annotation) and isinstance(value, dict):
            return annotation(**value)
        if issubclass(annotation, _dt.datetime) and isinstance(value, str):
            return _dt.datetime.fromisoformat(value)
        if issubclass(annotation, _dt.date) and isinstance(value, str):
            return _dt.date.fromisoformat(value)
        if issubclass(annotation, uuid.UUID) and isinstance(value, str):
            return uuid.UUID(value)
        if issubclass(annotation, PurePath) and isinstance(value, str):
            return annotation(value)
        if annotation is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if issubclass(annotation, tuple) and isinstance(value, list) and not hasattr(annotation, "_fields"):
            return tuple(value)
        if issubclass(annotation, tuple) and hasattr(annotation, "_fields") and isinstance(value, dict):
            return annotation(**value)
    except Exception:
        return value
    return value
