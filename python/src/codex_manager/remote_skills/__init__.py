"""Remote skills: Python callables registered as a session's dynamic tools.

::

    def register(skills):
        @skills.skill()
        def add(a: int, b: int = 1) -> int:
            '''Add two numbers.

            Args:
                a: the first number
                b: the second number
            '''
            return a + b

    with cm.remote_skills.lifecycle(register=register, cwd=".") as life:
        result = life.skills.send_and_handle("use tool add {\\"a\\": 2}")
        print(result.assistant_reply)

The tool's ``inputSchema`` is inferred from the signature, type hints and docstring (or
given). Tools are declared when the session is created (the runtime fixes a thread's
tools when it starts), so ``register`` runs before ``create_session``.

Calls are answered exactly once per request id: a call seen twice (stream event and
pending-list drain, or a replay after a reconnect) runs the handler once, and an answer
the bridge already has (another client answered, or it was resolved) counts as done.
``listen()`` / ``send_and_handle()`` follow the session's events and drain the pending
list whenever the stream (re)connects, so calls raised while disconnected are answered.
"""

from __future__ import annotations

from .._schema import parse_docstring
from ._async import AsyncRemoteSkillSession
from ._catalog import _CatalogMixin as _CatalogMixin
from ._catalog import _dynamic_tools as _dynamic_tools
from ._catalog import _inject as _inject
from ._catalog import _instruction as _instruction
from ._catalog import _name as _name
from ._catalog import _output_description as _output_description
from ._catalog import _return_schema as _return_schema
from ._catalog import make_skill
from ._facades import AsyncRemoteSkillsFacade, RemoteSkillsFacade
from ._listener import _AsyncListener as _AsyncListener
from ._listener import _Listener as _Listener
from ._listener import _ListenerBase as _ListenerBase
from ._sync import RemoteSkillSession
from ._types import _CATALOG_LOCKED as _CATALOG_LOCKED
from ._types import _CONNECT_TIMEOUT as _CONNECT_TIMEOUT
from ._types import _DEFAULT_INPUT_SCHEMA as _DEFAULT_INPUT_SCHEMA
from ._types import _DEFAULT_RETRY_DELAY as _DEFAULT_RETRY_DELAY
from ._types import _DEFAULT_SUBMIT_ATTEMPTS as _DEFAULT_SUBMIT_ATTEMPTS
from ._types import _MAX_HANDLED as _MAX_HANDLED
from ._types import _SAFETY_POLL as _SAFETY_POLL
from ._types import _TOOL_CALL_SIGNAL as _TOOL_CALL_SIGNAL
from ._types import (
    AsyncRemoteSkillLifecycle,
    RemoteSkill,
    RemoteSkillDispatch,
    RemoteSkillHandler,
    RemoteSkillLifecycle,
    RemoteSkillSendResult,
    ToolCall,
)
from ._types import _log as _log
from ._types import _Registry as _Registry
from ._types import _Submission as _Submission
from ._wire import _call_arguments as _call_arguments
from ._wire import _classify as _classify
from ._wire import _detail_reply as _detail_reply
from ._wire import _error_payload as _error_payload
from ._wire import _finalize as _finalize
from ._wire import _output_text as _output_text
from ._wire import _parse_pending as _parse_pending
from ._wire import _parse_signal as _parse_signal
from ._wire import _response_payload as _response_payload
from ._wire import _rows as _rows
from ._wire import _run_awaitable as _run_awaitable
from ._wire import _signal_session as _signal_session
from ._wire import _skipped as _skipped
from ._wire import _statuses as _statuses
from ._wire import _turn_id as _turn_id

__all__ = [
    "AsyncRemoteSkillLifecycle",
    "AsyncRemoteSkillSession",
    "AsyncRemoteSkillsFacade",
    "RemoteSkill",
    "RemoteSkillDispatch",
    "RemoteSkillHandler",
    "RemoteSkillLifecycle",
    "RemoteSkillSendResult",
    "RemoteSkillSession",
    "RemoteSkillsFacade",
    "ToolCall",
    "make_skill",
    "parse_docstring",
]
