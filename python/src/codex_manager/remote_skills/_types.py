"""Remote skills' data: the records handed to and returned by callers, and shared constants."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._async import AsyncRemoteSkillSession
    from ._sync import RemoteSkillSession

RemoteSkillHandler = Callable[..., Any]
_log = logging.getLogger("codex_manager.remote_skills")

_DEFAULT_INPUT_SCHEMA: dict[str, Any] = {"type": "object", "properties": {}, "additionalProperties": True}
_DEFAULT_SUBMIT_ATTEMPTS = 3
_DEFAULT_RETRY_DELAY = 0.05
_MAX_HANDLED = 4096
_CATALOG_LOCKED = (
    "remote skills are declared when the session is created: register them in "
    "remote_skills.create_session(register=...) or remote_skills.lifecycle(register=...)"
)
_TOOL_CALL_SIGNAL = "app_server.request.item.tool.call"
_CONNECT_TIMEOUT = 5.0
_SAFETY_POLL = 5.0


@dataclass(slots=True, frozen=True)
class ToolCall:
    """The call being answered; a handler gets it by declaring a parameter of this type."""

    session_id: str
    tool: str
    arguments: Any
    request_id: str | None = None
    call_id: str | None = None
    turn_id: str | None = None


@dataclass(slots=True)
class RemoteSkill:
    """A Python callable exposed as a dynamic tool."""

    name: str
    description: str
    handler: RemoteSkillHandler
    input_schema: dict[str, Any] | None = None
    output_schema: dict[str, Any] | None = None
    output_description: str | None = None


@dataclass(slots=True)
class RemoteSkillDispatch:
    """One call handled: what ran, what was answered, how the bridge took the answer."""

    handled: bool
    tool: str
    arguments: Any = None
    request_id: str | int | None = None
    call_id: str | None = None
    response_payload: dict[str, Any] | None = None
    result: Any = None
    error: str | None = None
    submission_status: str | None = None
    submission_code: str | None = None
    submission_attempts: int = 0
    submission_idempotent: bool = False
    turn_id: str | None = None


@dataclass(slots=True)
class RemoteSkillSendResult:
    """What ``send_and_handle`` returns."""

    session_id: str
    turn_id: str
    accepted: Any
    detail: Any
    status: str | None
    assistant_reply: str | None
    dispatches: list[RemoteSkillDispatch]


@dataclass(slots=True)
class RemoteSkillLifecycle:
    session_id: str
    created: Any
    skills: RemoteSkillSession


@dataclass(slots=True)
class AsyncRemoteSkillLifecycle:
    session_id: str
    created: Any
    skills: AsyncRemoteSkillSession


@dataclass(slots=True)
class _Submission:
    accepted: bool
    retryable: bool
    idempotent: bool = False
    status: str | None = None
    code: str | None = None
    error: str | None = None
    attempts: int = 0


@dataclass(slots=True)
class _Registry:
    skills: dict[str, RemoteSkill] = field(default_factory=dict)
    handled: OrderedDict[str, None] = field(default_factory=OrderedDict)
    in_flight: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    catalog_locked: bool = False
    dispatch_mode: str | None = None

    def remember(self, request_id: str) -> None:
        self.handled[request_id] = None
        while len(self.handled) > _MAX_HANDLED:
            self.handled.popitem(last=False)
