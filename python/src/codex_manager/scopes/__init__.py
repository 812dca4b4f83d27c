"""Session scopes: ``cm.session(id)`` binds the session id for every session operation.

``scope.messages.send(text)``, ``scope.controls.apply(...)``, ``scope.settings.namespace("x").merge({...})``,
``scope.approvals.list()``, ``scope.tool_input.list()``, ``scope.tool_calls.list()``, and
``get``, ``delete``, ``rename``, ``archive``, ``unarchive``, ``resume``, ``send``,
``interrupt``, ``suggest_request``, ``wait_reply``.
"""

from __future__ import annotations

from ._async import (
    AsyncSessionApprovalsScope,
    AsyncSessionControlsScope,
    AsyncSessionMessagesScope,
    AsyncSessionScope,
    AsyncSessionSettingsNamespace,
    AsyncSessionSettingsScope,
    AsyncSessionToolCallsScope,
    AsyncSessionToolInputScope,
)
from ._paths import _deep_merge as _deep_merge
from ._paths import _dig as _dig
from ._paths import _nest as _nest
from ._paths import _parts as _parts
from ._paths import _value_of as _value_of
from ._sync import (
    SessionApprovalsScope,
    SessionControlsScope,
    SessionMessagesScope,
    SessionScope,
    SessionSettingsNamespace,
    SessionSettingsScope,
    SessionToolCallsScope,
    SessionToolInputScope,
)

__all__ = [
    "AsyncSessionApprovalsScope",
    "AsyncSessionControlsScope",
    "AsyncSessionMessagesScope",
    "AsyncSessionScope",
    "AsyncSessionSettingsNamespace",
    "AsyncSessionSettingsScope",
    "AsyncSessionToolCallsScope",
    "AsyncSessionToolInputScope",
    "SessionApprovalsScope",
    "SessionControlsScope",
    "SessionMessagesScope",
    "SessionScope",
    "SessionSettingsNamespace",
    "SessionSettingsScope",
    "SessionToolCallsScope",
    "SessionToolInputScope",
]
