"""Wait helpers (``cm.wait``): driven by stream events, polling only as a fallback.

``send_message_and_wait_reply`` subscribes to the session's events before it sends, and
returns as soon as the runtime reports the turn completed. Without a stream (a custom
executor, or the stream unreachable) the helpers poll ``GET /api/sessions/{id}``.
"""

from __future__ import annotations

from ._async import AsyncWaitApi
from ._sync import WaitApi
from ._turns import _CONNECT_TIMEOUT as _CONNECT_TIMEOUT
from ._turns import _SAFETY_POLL_SECONDS as _SAFETY_POLL_SECONDS
from ._turns import SessionTurnReply
from ._turns import T as T
from ._turns import _expected as _expected
from ._turns import _is_terminal as _is_terminal
from ._turns import _reply_ready as _reply_ready
from ._turns import _timeout_message as _timeout_message
from ._turns import _turn_id as _turn_id
from ._turns import _validate as _validate
from ._turns import assistant_reply_for_turn as assistant_reply_for_turn
from ._turns import turn_status_of as turn_status_of

__all__ = [
    "AsyncWaitApi",
    "SessionTurnReply",
    "WaitApi",
]
