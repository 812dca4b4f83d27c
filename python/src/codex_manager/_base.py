"""Plumbing shared by the generated domain APIs: the unset marker, body building, the call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    from ._spec import OperationSpec

__all__ = [
    "UNSET",
    "AsyncCore",
    "AsyncDomain",
    "CallResult",
    "SyncCore",
    "SyncDomain",
    "UnsetType",
    "build_body",
    "jsonable",
    "require_one_of",
]


class UnsetType:
    """The type of :data:`UNSET`: "not given", as opposed to an explicit ``None`` (JSON null)."""

    _instance: UnsetType | None = None
    __slots__ = ()

    def __new__(cls) -> UnsetType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = UnsetType()


def jsonable(value: Any) -> Any:
    """A JSON-ready copy: mappings become dicts, sequences lists, Pydantic models their JSON."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if v is not UNSET}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray):
        return [jsonable(v) for v in value]
    return value


def build_body(*fields: tuple[str, Any, int | str]) -> dict[str, Any]:
    """A request body from ``(wire name, value, kind)``.

    kind 0: always sent; 1: sent unless ``None``; 2: sent unless :data:`UNSET` (a nullable
    field, where ``None`` means JSON null); a field name: sent when that field is given.
    """
    body: dict[str, Any] = {}
    given = {name for name, value, _ in fields if value is not None and value is not UNSET}
    for name, value, kind in fields:
        if kind == 0:
            body[name] = jsonable(None if value is UNSET else value)
        elif value is UNSET:
            continue
        elif kind == 1:
            if value is not None:
                body[name] = jsonable(value)
        elif kind == 2 or (isinstance(kind, str) and (kind in given or value is not None)):
            body[name] = jsonable(value)
    return body


def require_one_of(values: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` unless exactly one of ``values`` is given."""
    given = [k for k, v in values.items() if v is not None and v is not UNSET]
    if len(given) != 1:
        names = " or ".join(values)
        what = "both" if given else "neither"
        raise ValueError(f"pass exactly one of {names} ({what} given)")


class CallResult:
    """A response: its status (``None`` when a custom executor does not tell) and body."""

    __slots__ = ("body", "status_code")

    def __init__(self, status_code: int | None, body: Any) -> None:
        self.status_code = status_code
        self.body = body

    def __repr__(self) -> str:
        return f"CallResult(status_code={self.status_code!r}, body={self.body!r})"


class SyncCore(Protocol):
    def call_operation(
        self,
        spec: OperationSpec,
        *,
        path: Mapping[str, Any] | None = ...,
        query: Mapping[str, Any] | None = ...,
        body: Any = ...,
        allow_statuses: Iterable[int] | None = ...,
        headers: Mapping[str, str] | None = ...,
    ) -> CallResult: ...


class AsyncCore(Protocol):
    async def call_operation(
        self,
        spec: OperationSpec,
        *,
        path: Mapping[str, Any] | None = ...,
        query: Mapping[str, Any] | None = ...,
        body: Any = ...,
        allow_statuses: Iterable[int] | None = ...,
        headers: Mapping[str, str] | None = ...,
    ) -> CallResult: ...


def _spec(key: str) -> OperationSpec:
    from ._generated.operations import OPERATIONS

    return OPERATIONS[key]


class SyncDomain:
    """Base of the generated sync domain APIs (``cm.sessions``, ``cm.projects``, ...)."""

    __slots__ = ("_core",)

    def __init__(self, core: SyncCore) -> None:
        self._core = core

    def _call(
        self,
        key: str,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        allow_statuses: Iterable[int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        return self._core.call_operation(
            _spec(key), path=path, query=query, body=body, allow_statuses=allow_statuses, headers=headers
        ).body


class AsyncDomain:
    """Base of the generated async domain APIs (``await acm.sessions.get(...)``)."""

    __slots__ = ("_core",)

    def __init__(self, core: AsyncCore) -> None:
        self._core = core

    async def _call(
        self,
        key: str,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        allow_statuses: Iterable[int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        result = await self._core.call_operation(
            _spec(key), path=path, query=query, body=body, allow_statuses=allow_statuses, headers=headers
        )
        return result.body
