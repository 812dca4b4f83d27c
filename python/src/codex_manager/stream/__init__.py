"""The event stream (``/api/stream``): reconnecting subscriptions and handler dispatch.

- :class:`Subscription` is one logical subscription over as many WebSocket connections as
  it takes: after a disconnect it reconnects (exponential backoff) with ``since=<last seq>``
  in the URL, so the bridge replays what was missed before any live event; frames are
  de-duplicated by ``(seq, type)``. When the bridge restarted (new epoch) it replays the new
  epoch from the start; when the bridge's ring no longer holds the gap it yields a
  ``resync_required`` event (reload state then).
- :class:`EventRouter` dispatches without ever stalling the receive loop: each handler has
  its own queue and worker, so a slow handler delays only its own later events and no
  event is dropped. Sync handlers run in worker threads, async ones on the loop.
- :class:`AsyncEventStream` / :class:`SyncEventStream` are ``cm.stream``: decorators
  (``on_event``, ``on_event_prefix``, ``on_app_server``, ``on_app_server_request``,
  ``on_turn_started``) and ``run_forever``.
"""

from __future__ import annotations

from ._async import AsyncEventStream
from ._context import _CONTROL_TYPES as _CONTROL_TYPES
from ._context import _DEDUPE_WINDOW as _DEDUPE_WINDOW
from ._context import AppServerHandler, EventHandler, Family, StreamContext, stream_url
from ._context import H as H
from ._context import HeadersFn as HeadersFn
from ._context import _log as _log
from ._router import EventRouter
from ._router import _is_async_callable as _is_async_callable
from ._router import _Route as _Route
from ._router import _type_is as _type_is
from ._router import _type_starts as _type_starts
from ._subscription import Subscription
from ._sync import SyncEventStream

__all__ = [
    "AppServerHandler",
    "AsyncEventStream",
    "EventHandler",
    "EventRouter",
    "Family",
    "StreamContext",
    "Subscription",
    "SyncEventStream",
    "stream_url",
]
