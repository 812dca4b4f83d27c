"""The skill catalog: building skills from callables and the registry methods shared by sync and async sessions."""

from __future__ import annotations

import builtins
import inspect
import json
from collections.abc import Callable
from copy import deepcopy
from typing import Any

from .._schema import Docstring, annotation_schema, infer_input_schema
from ..models import AppServerSignal
from ._types import (
    _CATALOG_LOCKED,
    _DEFAULT_INPUT_SCHEMA,
    RemoteSkill,
    RemoteSkillDispatch,
    RemoteSkillHandler,
    _Registry,
)
from ._wire import _signal_session


def _name(name: str) -> str:
    normalized = name.strip()
    if not normalized:
        raise ValueError("a remote skill needs a non-empty name")
    return normalized


def make_skill(
    name: str,
    handler: RemoteSkillHandler,
    *,
    description: str | None = None,
    input_schema: dict[str, Any] | None = None,
    output_schema: dict[str, Any] | None = None,
) -> RemoteSkill:
    """A :class:`RemoteSkill` with its schema inferred from ``handler`` where not given."""
    if not callable(handler):
        raise TypeError("a remote skill handler must be callable")
    inferred, doc = infer_input_schema(handler)
    if isinstance(input_schema, dict):
        schema = deepcopy(input_schema)
        props = schema.get("properties")
        if isinstance(props, dict):
            for pname, text in doc.params.items():
                prop = props.get(pname)
                if isinstance(prop, dict) and not prop.get("description"):
                    prop["description"] = text
        if doc.text and not schema.get("description"):
            schema["description"] = doc.text
    else:
        schema = inferred
    text = (description or "").strip() or doc.text or f"Remote skill {name}"
    return RemoteSkill(
        name=name,
        description=text,
        handler=handler,
        input_schema=schema,
        output_schema=deepcopy(output_schema) if isinstance(output_schema, dict) else _return_schema(handler),
        output_description=_output_description(doc, output_schema),
    )


def _return_schema(handler: RemoteSkillHandler) -> dict[str, Any] | None:
    try:
        import typing

        hints = typing.get_type_hints(handler, include_extras=True)
    except Exception:
        return None
    annotation = hints.get("return", inspect.Parameter.empty)
    if annotation is inspect.Parameter.empty or annotation is Any:
        return None
    return annotation_schema(annotation) or None


def _output_description(doc: Docstring, output_schema: dict[str, Any] | None) -> str | None:
    if isinstance(output_schema, dict) and isinstance(output_schema.get("description"), str):
        return str(output_schema["description"]).strip() or None
    return doc.returns


def _dynamic_tools(skills: dict[str, RemoteSkill]) -> list[dict[str, Any]]:
    return [
        {
            "name": skills[n].name,
            "description": skills[n].description,
            "inputSchema": deepcopy(skills[n].input_schema or _DEFAULT_INPUT_SCHEMA),
        }
        for n in sorted(skills)
    ]


def _instruction(skills: dict[str, RemoteSkill]) -> str:
    if not skills:
        return ""
    lines = [
        "Session remote skill catalog (Python-managed):",
        "Use these capabilities when relevant and do not invent unknown tools.",
    ]
    for n in sorted(skills):
        skill = skills[n]
        lines.append(f"- {skill.name}: {skill.description}")
        lines.append(f"  input_schema: {json.dumps(skill.input_schema or _DEFAULT_INPUT_SCHEMA, sort_keys=True)}")
        if skill.output_schema:
            lines.append(f"  output_schema: {json.dumps(skill.output_schema, sort_keys=True)}")
        if skill.output_description:
            lines.append(f"  output_description: {skill.output_description}")
    return "\n".join(lines)


def _inject(instruction: str, text: str) -> str:
    return f"{instruction}\n\nUser request:\n{text}" if instruction else text


class _CatalogMixin:
    """The registry-facing methods that are the same for sync and async sessions."""

    session_id: str
    _registry: _Registry

    def _check_mutable(self) -> None:
        if self._registry.catalog_locked:
            raise RuntimeError(_CATALOG_LOCKED)

    def matches_signal(self, signal: AppServerSignal) -> bool:
        sid = _signal_session(signal)
        return sid is None or sid == self.session_id

    def list(self) -> builtins.list[RemoteSkill]:
        return list(self._registry.skills.values())

    def get(self, name: str) -> RemoteSkill | None:
        return self._registry.skills.get(name.strip())

    def clear(self, *, sync_runtime: bool = False, ignore_sync_errors: bool = True) -> int:
        del ignore_sync_errors
        self._check_mutable()
        if sync_runtime:
            raise RuntimeError(_CATALOG_LOCKED)
        count = len(self._registry.skills)
        self._registry.skills.clear()
        return count

    def dispatch_mode(self) -> str | None:
        return self._registry.dispatch_mode

    def reset_dispatch_mode(self) -> None:
        self._registry.dispatch_mode = None

    def register(
        self,
        name: str,
        handler: RemoteSkillHandler,
        *,
        description: str | None = None,
        input_schema: dict[str, Any] | None = None,
        output_schema: dict[str, Any] | None = None,
        sync_runtime: bool = False,
        ignore_sync_errors: bool = True,
    ) -> RemoteSkill:
        """Declare ``handler`` as the tool ``name`` (only inside ``register=`` callbacks)."""
        del ignore_sync_errors
        self._check_mutable()
        if sync_runtime:
            raise RuntimeError(_CATALOG_LOCKED)
        skill = make_skill(
            _name(name), handler, description=description, input_schema=input_schema, output_schema=output_schema
        )
        self._registry.skills[skill.name] = skill
        return skill

    def unregister(self, name: str, *, sync_runtime: bool = False, ignore_sync_errors: bool = True) -> bool:
        del ignore_sync_errors
        self._check_mutable()
        if sync_runtime:
            raise RuntimeError(_CATALOG_LOCKED)
        return self._registry.skills.pop(_name(name), None) is not None

    def skill(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        input_schema: dict[str, Any] | None = None,
        output_schema: dict[str, Any] | None = None,
    ) -> Callable[[RemoteSkillHandler], RemoteSkillHandler]:
        """Decorator form of :meth:`register` (the tool is named after the function)."""

        def decorator(handler: RemoteSkillHandler) -> RemoteSkillHandler:
            raw = name if name is not None else getattr(handler, "__name__", "remote_skill")
            self.register(
                raw if isinstance(raw, str) else "remote_skill",
                handler,
                description=description,
                input_schema=input_schema,
                output_schema=output_schema,
            )
            return handler

        return decorator

    def instruction_text(self) -> str:
        """A plain-text catalog of the tools (for models that need it in the prompt)."""
        return _instruction(self._registry.skills)

    def inject_request(self, request_text: str) -> str:
        return _inject(self.instruction_text(), request_text)

    def dynamic_tools(self) -> builtins.list[dict[str, Any]]:
        """The ``dynamicTools`` declarations (name, description, inputSchema)."""
        return _dynamic_tools(self._registry.skills)

    def _begin(self, request_id: str | None) -> str | None:
        """None when this request may run now; else why not (duplicate / in flight)."""
        if request_id is None:
            return None
        with self._registry.lock:
            if request_id in self._registry.handled:
                return "local_duplicate"
            if request_id in self._registry.in_flight:
                return "in_flight"
            self._registry.in_flight.add(request_id)
        return None

    def _end(self, request_id: str | None, accepted: bool) -> None:
        if request_id is None:
            return
        with self._registry.lock:
            self._registry.in_flight.discard(request_id)
            if accepted:
                self._registry.remember(request_id)

    def _missing(self, tool: str, arguments: Any, request_id: str | None, call_id: str | None) -> RemoteSkillDispatch:
        message = f"no remote skill registered for {tool}"
        return RemoteSkillDispatch(
            handled=False,
            tool=tool,
            arguments=arguments,
            request_id=request_id,
            call_id=call_id,
            response_payload={"contentItems": [{"type": "inputText", "text": message}], "success": False},
            error=message,
        )
