"""Validation and parsing behind the typed facade (imports Pydantic; loaded on first use)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from .._base import UNSET, CallResult, jsonable
from .._generated.operations import OPERATIONS
from ..errors import TypedModelValidationError
from . import _contracts
from . import models as _models

if TYPE_CHECKING:
    from .._spec import OperationSpec

__all__ = [
    "AsyncTypedDomain",
    "SyncTypedDomain",
    "fields_of",
    "model_for",
    "parse_response_for_operation",
    "validate_request",
]

_MAX_SAMPLE_DEPTH = 3
_MAX_SAMPLE_ITEMS = 8
_MAX_SAMPLE_STRING = 200


class _TypedCore(Protocol):
    @property
    def validation_mode(self) -> Literal["typed-only", "off", "strict"]: ...


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(getattr(_models, name))


def model_for(name: str) -> Any:
    """The model (or type alias) called ``name`` in :mod:`codex_manager.typed.models`."""
    return getattr(_models, name)


def _sample(value: Any, depth: int = 0) -> Any:
    if depth > _MAX_SAMPLE_DEPTH:
        return "<trimmed>"
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for i, (k, v) in enumerate(value.items()):
            if i >= _MAX_SAMPLE_ITEMS:
                out["..."] = "<trimmed>"
                break
            out[str(k)] = _sample(v, depth + 1)
        return out
    if isinstance(value, list):
        items = [_sample(v, depth + 1) for v in value[:_MAX_SAMPLE_ITEMS]]
        if len(value) > _MAX_SAMPLE_ITEMS:
            items.append("<trimmed>")
        return items
    if isinstance(value, str) and len(value) > _MAX_SAMPLE_STRING:
        return value[:_MAX_SAMPLE_STRING] + "..."
    return value


def fields_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword fields actually given (:data:`UNSET` left out)."""
    return {k: v for k, v in values.items() if v is not UNSET}


def validate_request(spec: OperationSpec, payload: Any, fields: Mapping[str, Any], *, validate: bool) -> Any:
    """The JSON body of a typed call: ``payload`` or the keyword ``fields``, validated or not."""
    if payload is not None and fields:
        raise ValueError(f"{spec.key}: pass the body as payload or as keyword fields, not both")
    if payload is None:
        wire = dict(zip(spec.body_params, spec.body_fields, strict=True))
        raw: Any = {}
        for key, value in fields.items():
            field_name = wire.get(key, key)
            # None is "not given" unless the field can be null (then it means null).
            if value is not None or field_name in spec.nullable_fields:
                raw[field_name] = value
    else:
        raw = payload
    name = _contracts.REQUEST_MODELS.get(spec.key)
    if not validate or name is None:
        return jsonable(raw)
    if isinstance(raw, BaseModel):
        parsed: Any = raw
    else:
        try:
            parsed = _adapter(name).validate_python(jsonable(raw))
        except PydanticValidationError as error:
            raise TypedModelValidationError(
                operation=spec.key,
                model_name=name,
                errors=error.errors(include_url=False),
                boundary="request",
                raw_sample=_sample(jsonable(raw)),
            ) from error
    if isinstance(parsed, BaseModel):
        return parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return jsonable(parsed)


@cache
def _by_name() -> dict[str, Any]:
    """Every name of every operation (codex-manager's keys such as ``sessions.settings.get`` too)."""
    return {name: spec for spec in OPERATIONS.values() for name in spec.names}


def parse_response_for_operation(
    operation_key: str,
    payload: Any,
    *,
    status_code: int | None = None,
    boundary: Literal["request", "response"] = "response",
) -> Any:
    """Parse ``payload`` into the model of ``operation_key``'s answer with ``status_code``.

    With no status, the success models are tried first, then every other documented one.
    Raises :class:`~codex_manager.errors.TypedModelValidationError` when none fits.
    """
    spec = OPERATIONS.get(operation_key) or _by_name().get(operation_key)
    if spec is not None:
        operation_key = spec.key
    models = _contracts.RESPONSE_MODELS.get(operation_key)
    if spec is None or models is None:
        raise ValueError(f"no typed contract for operation {operation_key!r}")
    if status_code is not None:
        candidates = [status_code] if status_code in models else []
        if not candidates:
            raise TypedModelValidationError(
                operation=operation_key,
                model_name="<undocumented status>",
                errors=[{"msg": f"status {status_code} is not documented for {operation_key}"}],
                boundary=boundary,
                status_code=status_code,
                raw_sample=_sample(payload),
            )
    else:
        candidates = sorted(models, key=lambda s: (not 200 <= s < 300, s))
    failures: list[dict[str, Any]] = []
    names: list[str] = []
    for status in candidates:
        name = models[status]
        if name is None:
            if payload is None or payload == "":
                return None
            continue
        if name in names:
            continue
        names.append(name)
        try:
            return _adapter(name).validate_python(payload)
        except PydanticValidationError as error:
            failures.append({"model": name, "status": status, "issues": error.errors(include_url=False)})
    raise TypedModelValidationError(
        operation=operation_key,
        model_name=" | ".join(names) or "<none>",
        errors=failures,
        boundary=boundary,
        status_code=status_code,
        raw_sample=_sample(payload),
    )


def _clean(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v for k, v in values.items() if v is not None and v is not UNSET}


class SyncTypedDomain:
    """Base of the generated typed sync domains."""

    __slots__ = ("_core",)

    def __init__(self, core: Any) -> None:
        self._core = core

    def _should_validate(self, validate: bool | None) -> bool:
        if validate is not None:
            return validate
        mode: str = self._core.validation_mode
        return mode != "off"

    def _typed_call(
        self,
        key: str,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        payload: Any = None,
        fields: Mapping[str, Any] | None = None,
        validate: bool | None = None,
        allow_statuses: Iterable[int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        spec = OPERATIONS[key]
        check = self._should_validate(validate)
        body = validate_request(spec, payload, fields or {}, validate=check) if spec.has_body else None
        result: CallResult = self._core.call_operation(
            spec,
            path=path,
            query=_clean(query),
            body=body,
            allow_statuses=allow_statuses,
            headers=headers,
            _validated=check,
        )
        if not check:
            return result.body
        return parse_response_for_operation(key, result.body, status_code=result.status_code)


class AsyncTypedDomain:
    """Base of the generated typed async domains."""

    __slots__ = ("_core",)

    def __init__(self, core: Any) -> None:
        self._core = core

    def _should_validate(self, validate: bool | None) -> bool:
        if validate is not None:
            return validate
        mode: str = self._core.validation_mode
        return mode != "off"

    async def _typed_call(
        self,
        key: str,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        payload: Any = None,
        fields: Mapping[str, Any] | None = None,
        validate: bool | None = None,
        allow_statuses: Iterable[int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        spec = OPERATIONS[key]
        check = self._should_validate(validate)
        body = validate_request(spec, payload, fields or {}, validate=check) if spec.has_body else None
        result: CallResult = await self._core.call_operation(
            spec,
            path=path,
            query=_clean(query),
            body=body,
            allow_statuses=allow_statuses,
            headers=headers,
            _validated=check,
        )
        if not check:
            return result.body
        return parse_response_for_operation(key, result.body, status_code=result.status_code)
