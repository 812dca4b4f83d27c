"""The typed facade: every operation with Pydantic v2 request and response models.

``cm.typed.sessions.create(cwd=".")`` validates the request against the generated model
of its body and parses the answer into the model of its status
(``CreateSessionResponse200``); ``cm.typed.sessions.get(session_id=...)`` returns
``ReadSessionResponse200`` (or ``DeletedSessionPayload`` for a 410, which ``sessions.get``
returns by default). Models live in :mod:`codex_manager.typed.models`, generated from
``openapi.json``: snake_case fields with the API's camelCase names as aliases.

The client's ``validation_mode`` decides: ``typed-only`` (default) validates here only,
``off`` returns the raw JSON here too, ``strict`` also checks every plain call's response.
``validate=True/False`` on a call overrides the mode for that call.
"""

from __future__ import annotations

from typing import Any

from . import _facade as f
from . import models as _models
from ._compat_names import *  # noqa: F403  (codex-manager's model names, e.g. ReadSessionResponse)
from ._compat_names import __all__ as _compat_all
from ._contracts import REQUEST_MODELS, RESPONSE_MODELS
from ._runtime import parse_response_for_operation
from .models import *  # noqa: F403  (every model: ``from codex_manager.typed import CreateSessionRequest``)

#: The models and type aliases generated into ``typed.models`` (not what it imports).
_models_all = [
    name
    for name, value in vars(_models).items()
    if not name.startswith("_")
    and getattr(value, "__module__", _models.__name__) == _models.__name__
    and name not in ("annotations",)
]

__all__ = [
    *_models_all,
    *_compat_all,
    "AsyncTypedCodexManagerFacade",
    "REQUEST_MODELS",
    "RESPONSE_MODELS",
    "TypedCodexManagerFacade",
    "parse_response_for_operation",
]


class _Parse:
    def parse(self, operation_key: str, payload: Any, *, status_code: int | None = None) -> Any:
        """Parse ``payload`` into the model of ``operation_key``'s answer (``"sessions.create"``)."""
        return parse_response_for_operation(operation_key, payload, status_code=status_code)


class TypedCodexManagerFacade(_Parse):
    """``cm.typed``: the domains of :class:`~codex_manager.CodexManager`, typed."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.system = f.TypedSystemApi(client)
        self.runtime = f.TypedRuntimeApi(client)
        self.apps = f.TypedAppsApi(client)
        self.skills = f.TypedSkillsApi(client)
        self.models = f.TypedModelsApi(client)
        self.mcp = f.TypedMcpApi(client)
        self.account = f.TypedAccountApi(client)
        self.config = f.TypedConfigApi(client)
        self.feedback = f.TypedFeedbackApi(client)
        self.projects = f.TypedProjectsApi(client)
        self.sessions = f.TypedSessionsApi(client)
        self.approvals = f.TypedApprovalsApi(client)
        self.tool_input = f.TypedToolInputApi(client)
        self.tool_calls = f.TypedToolCallsApi(client)
        self.orchestrator = f.TypedOrchestratorApi(client)
        self.extensions = f.TypedExtensionsApi(client)

    @property
    def validation_mode(self) -> str:
        return str(self._client.validation_mode)


class AsyncTypedCodexManagerFacade(_Parse):
    """``acm.typed``: the domains of :class:`~codex_manager.AsyncCodexManager`, typed."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.system = f.AsyncTypedSystemApi(client)
        self.runtime = f.AsyncTypedRuntimeApi(client)
        self.apps = f.AsyncTypedAppsApi(client)
        self.skills = f.AsyncTypedSkillsApi(client)
        self.models = f.AsyncTypedModelsApi(client)
        self.mcp = f.AsyncTypedMcpApi(client)
        self.account = f.AsyncTypedAccountApi(client)
        self.config = f.AsyncTypedConfigApi(client)
        self.feedback = f.AsyncTypedFeedbackApi(client)
        self.projects = f.AsyncTypedProjectsApi(client)
        self.sessions = f.AsyncTypedSessionsApi(client)
        self.approvals = f.AsyncTypedApprovalsApi(client)
        self.tool_input = f.AsyncTypedToolInputApi(client)
        self.tool_calls = f.AsyncTypedToolCallsApi(client)
        self.orchestrator = f.AsyncTypedOrchestratorApi(client)
        self.extensions = f.AsyncTypedExtensionsApi(client)

    @property
    def validation_mode(self) -> str:
        return str(self._client.validation_mode)
