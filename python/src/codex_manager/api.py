"""The domain APIs of the clients (generated from openapi.json) plus a few hand-written helpers.

Every operation of the bridge is a method ``cm.<domain>.<name>(...)`` taking keyword
arguments (snake_case of the API's names) and returning the parsed JSON body. Each also
takes ``allow_statuses`` (documented non-2xx statuses to return instead of raising) and
``headers`` (extra request headers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from ._generated import api as _g
from ._generated.api import (
    ApprovalsApi,
    AppsApi,
    AsyncApprovalsApi,
    AsyncAppsApi,
    AsyncConfigApi,
    AsyncExtensionsApi,
    AsyncFeedbackApi,
    AsyncMcpApi,
    AsyncModelsApi,
    AsyncOrchestratorApi,
    AsyncProjectsApi,
    AsyncRuntimeApi,
    AsyncSessionsApi,
    AsyncSkillsApi,
    AsyncSystemApi,
    AsyncToolCallsApi,
    AsyncToolInputApi,
    ConfigApi,
    ExtensionsApi,
    FeedbackApi,
    McpApi,
    ModelsApi,
    OrchestratorApi,
    ProjectsApi,
    RuntimeApi,
    SessionsApi,
    SkillsApi,
    SystemApi,
    ToolCallsApi,
    ToolInputApi,
)

if TYPE_CHECKING:
    from ._base import CallResult

__all__ = [
    "AccountApi",
    "AppsApi",
    "ApprovalDecision",
    "ApprovalPolicy",
    "ApprovalsApi",
    "AsyncAccountApi",
    "AsyncAppsApi",
    "AsyncApprovalsApi",
    "AsyncConfigApi",
    "AsyncExtensionsApi",
    "AsyncFeedbackApi",
    "AsyncMcpApi",
    "AsyncModelsApi",
    "AsyncOrchestratorApi",
    "AsyncProjectsApi",
    "AsyncRawApi",
    "AsyncRuntimeApi",
    "AsyncSessionsApi",
    "AsyncSkillsApi",
    "AsyncSystemApi",
    "AsyncToolCallsApi",
    "AsyncToolInputApi",
    "ConfigApi",
    "ExtensionsApi",
    "FeedbackApi",
    "FilesystemSandbox",
    "McpApi",
    "ModelsApi",
    "NetworkAccess",
    "OrchestratorApi",
    "ProjectsApi",
    "RawApi",
    "ReasoningEffort",
    "RuntimeApi",
    "SessionSettingsScopeName",
    "SessionsApi",
    "SkillsApi",
    "SystemApi",
    "ToolCallsApi",
    "ToolInputApi",
    "ToolInputDecision",
]

ReasoningEffort: TypeAlias = Literal["none", "minimal", "low", "medium", "high", "xhigh"]
ApprovalPolicy: TypeAlias = Literal["untrusted", "on-failure", "on-request", "never"]
NetworkAccess: TypeAlias = Literal["restricted", "enabled"]
FilesystemSandbox: TypeAlias = Literal["read-only", "workspace-write", "danger-full-access"]
SessionSettingsScopeName: TypeAlias = Literal["session", "default"]
ApprovalDecision: TypeAlias = Literal["accept", "decline", "cancel"]
ToolInputDecision: TypeAlias = Literal["accept", "decline", "cancel"]


class AccountApi(_g.AccountApi):
    __slots__ = ()

    def login_start_api_key(self, api_key: str) -> Any:
        """Log the runtime in with an API key."""
        return self.login_start({"type": "apiKey", "apiKey": api_key})

    def login_start_chatgpt(self) -> Any:
        """Start a ChatGPT browser login (the answer has the URL to open)."""
        return self.login_start({"type": "chatgpt"})

    def login_start_chatgpt_auth_tokens(
        self, *, access_token: str, chatgpt_account_id: str, chatgpt_plan_type: str | None = None
    ) -> Any:
        """Log in with ChatGPT tokens obtained elsewhere."""
        payload: dict[str, Any] = {
            "type": "chatgptAuthTokens",
            "accessToken": access_token,
            "chatgptAccountId": chatgpt_account_id,
        }
        if chatgpt_plan_type:
            payload["chatgptPlanType"] = chatgpt_plan_type
        return self.login_start(payload)


class AsyncAccountApi(_g.AsyncAccountApi):
    __slots__ = ()

    async def login_start_api_key(self, api_key: str) -> Any:
        """Log the runtime in with an API key."""
        return await self.login_start({"type": "apiKey", "apiKey": api_key})

    async def login_start_chatgpt(self) -> Any:
        """Start a ChatGPT browser login (the answer has the URL to open)."""
        return await self.login_start({"type": "chatgpt"})

    async def login_start_chatgpt_auth_tokens(
        self, *, access_token: str, chatgpt_account_id: str, chatgpt_plan_type: str | None = None
    ) -> Any:
        """Log in with ChatGPT tokens obtained elsewhere."""
        payload: dict[str, Any] = {
            "type": "chatgptAuthTokens",
            "accessToken": access_token,
            "chatgptAccountId": chatgpt_account_id,
        }
        if chatgpt_plan_type:
            payload["chatgptPlanType"] = chatgpt_plan_type
        return await self.login_start(payload)


class RawApi:
    """Any request, by method and path (``cm.raw.request("GET", "/health")``)."""

    __slots__ = ("_client",)

    def __init__(self, client: Any) -> None:
        self._client = client

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str = "raw.request",
        query: Mapping[str, Any] | None = None,
        body: Any | None = None,
        headers: Mapping[str, str] | None = None,
        allow_statuses: Iterable[int] | None = None,
    ) -> Any:
        """``path`` with or without the API prefix (``/sessions`` or ``/api/sessions``)."""
        result: CallResult = self._client._raw(
            method, path, operation=operation, query=query, body=body, headers=headers, allow_statuses=allow_statuses
        )
        return result.body


class AsyncRawApi:
    """Any request, by method and path (``await acm.raw.request("GET", "/health")``)."""

    __slots__ = ("_client",)

    def __init__(self, client: Any) -> None:
        self._client = client

    async def request(
        self,
        method: str,
        path: str,
        *,
        operation: str = "raw.request",
        query: Mapping[str, Any] | None = None,
        body: Any | None = None,
        headers: Mapping[str, str] | None = None,
        allow_statuses: Iterable[int] | None = None,
    ) -> Any:
        """``path`` with or without the API prefix (``/sessions`` or ``/api/sessions``)."""
        result: CallResult = await self._client._raw(
            method, path, operation=operation, query=query, body=body, headers=headers, allow_statuses=allow_statuses
        )
        return result.body
