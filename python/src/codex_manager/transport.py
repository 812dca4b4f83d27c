"""HTTP transports (httpx): a request in, a status and parsed body out, errors classified."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._base import CallResult
from .errors import ClientTimeoutError, RequestDetails, TransportError, classify_api_error

if TYPE_CHECKING:
    import httpx

__all__ = ["AsyncTransport", "SyncTransport", "encode_query", "parse_body"]

#: Marks "no request body" (``None`` would be the JSON body ``null``).
NO_BODY: Any = object()


def encode_query(query: Mapping[str, Any] | None) -> list[tuple[str, str]] | None:
    """Query parameters as pairs: ``None`` dropped, booleans as ``true``/``false``, lists repeated."""
    if not query:
        return None
    pairs: list[tuple[str, str]] = []
    for key, value in query.items():
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if v is None:
                continue
            pairs.append((key, "true" if v is True else "false" if v is False else str(v)))
    return pairs or None


def parse_body(response: httpx.Response) -> Any:
    content = response.content
    if not content:
        return None
    ctype = response.headers.get("content-type", "")
    if "json" in ctype:
        try:
            return json.loads(content)
        except ValueError:
            return response.text
    try:
        return json.loads(content)
    except ValueError:
        return response.text


def _check(
    response: httpx.Response, *, operation: str, method: str, path: str, allow_statuses: Iterable[int] | None
) -> CallResult:
    body = parse_body(response)
    status = response.status_code
    if 200 <= status < 300 or (allow_statuses is not None and status in set(allow_statuses)):
        return CallResult(status, body)
    raise classify_api_error(
        RequestDetails(operation=operation, method=method, path=path, status_code=status, response_body=body)
    )


def _kwargs(query: Mapping[str, Any] | None, json_body: Any, headers: Mapping[str, str] | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"params": encode_query(query), "headers": dict(headers) if headers else None}
    if json_body is not NO_BODY:
        kwargs["content"] = json.dumps(json_body, separators=(",", ":"), ensure_ascii=False).encode()
        kwargs["headers"] = {**(kwargs["headers"] or {}), "content-type": "application/json"}
    return kwargs


class SyncTransport:
    """The default sync executor: ``httpx.Client`` under ``api_prefix``."""

    def __init__(self, client: httpx.Client, api_prefix: str) -> None:
        self._client = client
        self._prefix = api_prefix

    def send(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        query: Mapping[str, Any] | None = None,
        json_body: Any = NO_BODY,
        headers: Mapping[str, str] | None = None,
        allow_statuses: Iterable[int] | None = None,
    ) -> CallResult:
        import httpx

        url = self._prefix + path
        try:
            response = self._client.request(method, url, **_kwargs(query, json_body, headers))
        except httpx.TimeoutException as error:
            raise ClientTimeoutError(f"{operation}: {method} {url} timed out ({error!r})") from error
        except httpx.HTTPError as error:
            raise TransportError(f"{operation}: {method} {url} failed: {error!r}") from error
        return _check(response, operation=operation, method=method, path=url, allow_statuses=allow_statuses)

    def request(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        query: dict[str, Any] | None = None,
        json_body: Any | None = None,
        headers: dict[str, str] | None = None,
        allow_statuses: Iterable[int] | None = None,
    ) -> Any:
        """The executor protocol: the body only (``json_body=None``: no body)."""
        return self.send(
            operation=operation,
            method=method,
            path=path,
            query=query,
            json_body=NO_BODY if json_body is None else json_body,
            headers=headers,
            allow_statuses=allow_statuses,
        ).body


class AsyncTransport:
    """The default async executor: ``httpx.AsyncClient`` under ``api_prefix``."""

    def __init__(self, client: httpx.AsyncClient, api_prefix: str) -> None:
        self._client = client
        self._prefix = api_prefix

    async def send(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        query: Mapping[str, Any] | None = None,
        json_body: Any = NO_BODY,
        headers: Mapping[str, str] | None = None,
        allow_statuses: Iterable[int] | None = None,
    ) -> CallResult:
        import httpx

        url = self._prefix + path
        try:
            response = await self._client.request(method, url, **_kwargs(query, json_body, headers))
        except httpx.TimeoutException as error:
            raise ClientTimeoutError(f"{operation}: {method} {url} timed out ({error!r})") from error
        except httpx.HTTPError as error:
            raise TransportError(f"{operation}: {method} {url} failed: {error!r}") from error
        return _check(response, operation=operation, method=method, path=url, allow_statuses=allow_statuses)

    async def request(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        query: dict[str, Any] | None = None,
        json_body: Any | None = None,
        headers: dict[str, str] | None = None,
        allow_statuses: Iterable[int] | None = None,
    ) -> Any:
        result = await self.send(
            operation=operation,
            method=method,
            path=path,
            query=query,
            json_body=NO_BODY if json_body is None else json_body,
            headers=headers,
            allow_statuses=allow_statuses,
        )
        return result.body
