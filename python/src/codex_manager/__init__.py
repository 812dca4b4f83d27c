"""Python SDK for the Codex Manager bridge.

::

    from codex_manager import CodexManager

    with CodexManager() as cm:                      # finds the running bridge and its token
        session = cm.sessions.create(cwd=".")
        reply = cm.wait.send_message_and_wait_reply(
            session_id=session["session"]["sessionId"], text="Explain this repository."
        )
        print(reply.assistant_reply)

Importing the package is cheap: the clients, httpx, websockets and Pydantic load on first
use of the names below.
"""

from __future__ import annotations

from ._version import __version__

# Not `from typing import TYPE_CHECKING`: importing typing would cost more than the
# rest of this module (type checkers treat a TYPE_CHECKING constant the same way).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .api import (
        ApprovalDecision,
        ApprovalPolicy,
        FilesystemSandbox,
        NetworkAccess,
        ReasoningEffort,
        SessionSettingsScopeName,
        ToolInputDecision,
    )
    from .client import AsyncCodexManager, CodexManager, ValidationMode
    from .config import ClientConfig
    from .discovery import BridgeRecord, find_running_bridges
    from .errors import (
        ApiError,
        AuthError,
        ClientTimeoutError,
        CodexManagerError,
        ConflictError,
        GoneError,
        LockedError,
        NotFoundError,
        RequestDetails,
        ServerError,
        StreamError,
        TransportError,
        TypedModelValidationError,
        ValidationError,
        WaitTimeoutError,
    )
    from .hooks import HookRegistry, RequestCall
    from .models import AppServerSignal, StreamEvent
    from .plugins import PluginRegistry
    from .protocols import (
        AsyncClientPlugin,
        AsyncHeaderProvider,
        AsyncHookMiddleware,
        AsyncPluginLifecycle,
        AsyncRequestExecutor,
        PluginLifecycle,
        RetryPolicy,
        StreamRouter,
        SyncClientPlugin,
        SyncHeaderProvider,
        SyncHookMiddleware,
        SyncRequestExecutor,
    )
    from .remote_skills import (
        AsyncRemoteSkillLifecycle,
        AsyncRemoteSkillSession,
        RemoteSkill,
        RemoteSkillDispatch,
        RemoteSkillLifecycle,
        RemoteSkillSendResult,
        RemoteSkillSession,
        ToolCall,
    )
    from .retry import ExponentialBackoff
    from .scopes import AsyncSessionScope, SessionScope
    from .stream import AsyncEventStream, EventRouter, StreamContext, Subscription, SyncEventStream
    from .wait import AsyncWaitApi, SessionTurnReply, WaitApi

_EXPORTS: dict[str, str] = {
    "CodexManager": "client",
    "AsyncCodexManager": "client",
    "ValidationMode": "client",
    "ClientConfig": "config",
    "BridgeRecord": "discovery",
    "find_running_bridges": "discovery",
    "ApiError": "errors",
    "AuthError": "errors",
    "ClientTimeoutError": "errors",
    "CodexManagerError": "errors",
    "ConflictError": "errors",
    "GoneError": "errors",
    "LockedError": "errors",
    "NotFoundError": "errors",
    "RequestDetails": "errors",
    "ServerError": "errors",
    "StreamError": "errors",
    "TransportError": "errors",
    "TypedModelValidationError": "errors",
    "ValidationError": "errors",
    "WaitTimeoutError": "errors",
    "HookRegistry": "hooks",
    "RequestCall": "hooks",
    "AppServerSignal": "models",
    "StreamEvent": "models",
    "PluginRegistry": "plugins",
    "AsyncClientPlugin": "protocols",
    "AsyncHeaderProvider": "protocols",
    "AsyncHookMiddleware": "protocols",
    "AsyncPluginLifecycle": "protocols",
    "AsyncRequestExecutor": "protocols",
    "PluginLifecycle": "protocols",
    "RetryPolicy": "protocols",
    "StreamRouter": "protocols",
    "SyncClientPlugin": "protocols",
    "SyncHeaderProvider": "protocols",
    "SyncHookMiddleware": "protocols",
    "SyncRequestExecutor": "protocols",
    "AsyncRemoteSkillLifecycle": "remote_skills",
    "AsyncRemoteSkillSession": "remote_skills",
    "RemoteSkill": "remote_skills",
    "RemoteSkillDispatch": "remote_skills",
    "RemoteSkillLifecycle": "remote_skills",
    "RemoteSkillSendResult": "remote_skills",
    "RemoteSkillSession": "remote_skills",
    "ToolCall": "remote_skills",
    "ExponentialBackoff": "retry",
    "AsyncSessionScope": "scopes",
    "SessionScope": "scopes",
    "AsyncEventStream": "stream",
    "EventRouter": "stream",
    "StreamContext": "stream",
    "Subscription": "stream",
    "SyncEventStream": "stream",
    "AsyncWaitApi": "wait",
    "SessionTurnReply": "wait",
    "WaitApi": "wait",
    "ApprovalDecision": "api",
    "ApprovalPolicy": "api",
    "FilesystemSandbox": "api",
    "NetworkAccess": "api",
    "ReasoningEffort": "api",
    "SessionSettingsScopeName": "api",
    "ToolInputDecision": "api",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'codex_manager' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
