"""The client's exceptions: one class per kind of failure, one per HTTP status family.

``CodexManagerError`` is the root. ``ApiError`` (a non-2xx answer the call did not allow)
carries ``status``, ``code`` and ``body``; its subclasses name the status. Transport
problems are ``TransportError`` (``ClientTimeoutError`` for timeouts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "ApiError",
    "AuthError",
    "ClientTimeoutError",
    "CodexManagerError",
    "ConflictError",
    "GoneError",
    "LockedError",
    "NotFoundError",
    "RequestDetails",
    "ServerError",
    "StreamError",
    "TransportError",
    "TypedModelValidationError",
    "ValidationError",
    "WaitTimeoutError",
    "classify_api_error",
]


@dataclass(slots=True)
class RequestDetails:
    """What was asked and what came back (kept on every :class:`ApiError`)."""

    operation: str
    method: str
    path: str
    status_code: int | None = None
    response_body: Any | None = None


class CodexManagerError(Exception):
    """Base class of every error this client raises."""


class TransportError(CodexManagerError):
    """The bridge could not be reached, or the connection failed mid-request."""


class ClientTimeoutError(TransportError):
    """A request took longer than the client's timeout."""


class StreamError(TransportError):
    """The event stream could not be opened (for a reason reconnecting will not fix)."""


class ApiError(CodexManagerError):
    """The bridge answered with a status the call does not accept.

    ``status`` is the HTTP status, ``code`` the bridge's machine-readable error code (when
    the body has one), ``body`` the parsed JSON body (or text).
    """

    def __init__(self, message: str, *, details: RequestDetails) -> None:
        super().__init__(message)
        self.details = details

    @property
    def status(self) -> int | None:
        return self.details.status_code

    @property
    def status_code(self) -> int | None:
        return self.details.status_code

    @property
    def body(self) -> Any:
        return self.details.response_body

    @property
    def code(self) -> str | None:
        body = self.details.response_body
        if isinstance(body, dict):
            code = body.get("code")
            if isinstance(code, str):
                return code
            status = body.get("status")
            if isinstance(status, str) and status not in ("error", "ok"):
                return status
        return None

    @property
    def api_message(self) -> str | None:
        body = self.details.response_body
        if isinstance(body, dict) and isinstance(body.get("message"), str):
            return str(body["message"])
        return None


class AuthError(ApiError):
    """401 (missing or wrong bearer token) or 403 (host/origin not allowed)."""


class ValidationError(ApiError):
    """400 or 422: the request was invalid; ``body['issues']`` names the fields."""


class NotFoundError(ApiError):
    """404: no such session, project, approval, request, ..."""


class ConflictError(ApiError):
    """409: the request conflicts with the current state (e.g. an approval already decided)."""


class GoneError(ApiError):
    """410: the session was deleted."""


class LockedError(ApiError):
    """423: the default-scope settings are locked."""


class ServerError(ApiError):
    """5xx: the bridge or the runtime failed (501: the runtime lacks the method)."""


class TypedModelValidationError(CodexManagerError):
    """A typed request or response did not match its generated model."""

    def __init__(
        self,
        *,
        operation: str,
        model_name: str,
        errors: Any,
        boundary: str | None = None,
        status_code: int | None = None,
        raw_sample: Any | None = None,
    ) -> None:
        where = boundary or "boundary"
        status = f" (status {status_code})" if status_code is not None else ""
        first = _first_issue(errors)
        super().__init__(f"{operation} {where} validation failed for {model_name}{status}{first}")
        self.operation = operation
        self.model_name = model_name
        self.errors = errors
        self.boundary = boundary
        self.status_code = status_code
        self.raw_sample = raw_sample


class WaitTimeoutError(CodexManagerError, TimeoutError):
    """A wait helper's condition did not hold in time."""


def _first_issue(errors: Any) -> str:
    try:
        issue = errors[0]
        if isinstance(issue, dict) and "issues" in issue:
            issue = issue["issues"][0]
        loc = ".".join(str(p) for p in issue.get("loc", ()))
        return f": {loc + ': ' if loc else ''}{issue.get('msg', '')}"
    except (IndexError, KeyError, TypeError, AttributeError):
        return ""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: ValidationError,
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    422: ValidationError,
    423: LockedError,
}


def classify_api_error(details: RequestDetails) -> ApiError:
    """The exception for a non-2xx answer, with a one-line message naming the cause."""
    status = details.status_code or 0
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    body = details.response_body
    reason = ""
    if isinstance(body, dict):
        code = body.get("code") or body.get("status")
        message = body.get("message")
        reason = ": " + ": ".join(str(x) for x in (code, message) if x)
    elif isinstance(body, str) and body.strip():
        reason = ": " + body.strip().splitlines()[0][:200]
    hint = ""
    if status == 401:
        hint = " (pass the bridge token: headers={'Authorization': 'Bearer <token>'}, or let discovery find it)"
    message = f"{details.operation} failed with status {status} ({details.method} {details.path}){reason}{hint}"
    return cls(message, details=details)
