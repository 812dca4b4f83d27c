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
import types
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import Annotated, Any, Literal, NotRequired, Required, Union, get_args, get_origin

from ._docstring import Docstring, parse_docstring

__all__ = [
    "Docstring",
    "annotation_schema",
    "coerce_argument",
    "infer_input_schema",
    "is_injected",
    "parse_docstring",
]

_MAX_DEPTH = 12


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
