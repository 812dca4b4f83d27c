"""How one operation of the bridge API is called (filled in by the generated table)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OperationSpec"]


@dataclass(frozen=True, slots=True)
class OperationSpec:
    """One operation of ``openapi.json``.

    ``key`` is the client's name for it (``sessions.send_message``): the domain attribute
    and method name, and the name hooks, middleware and ``retryable_operations`` use.
    """

    key: str
    operation_id: str
    domain: str
    name: str
    method: str
    #: Path after the API prefix, with ``{placeholders}`` (``/sessions/{sessionId}``).
    path: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    body_fields: tuple[str, ...]
    #: The Python keyword of each body field (same order as ``body_fields``).
    body_params: tuple[str, ...]
    #: Body fields that may be JSON null (the others are left out when ``None``).
    nullable_fields: tuple[str, ...]
    has_body: bool
    #: Safe to retry (reads); the others are retried only when opted in.
    idempotent: bool
    #: Every status the operation documents.
    statuses: tuple[int, ...]
    #: Documented non-2xx statuses returned as values by default (codex-manager's behaviour).
    default_allow: tuple[int, ...]
    summary: str
    #: Other client names of the same operation (``projects.orchestrator_jobs``).
    aliases: tuple[str, ...] = ()
    #: codex-manager's hook keys for it where they differ (``sessions.settings.get``).
    legacy_keys: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name hooks and ``retryable_operations`` may use for this operation."""
        return (self.key, self.operation_id, *self.aliases, *self.legacy_keys)
