"""Stream basics shared by the other stream modules: handler types, StreamContext, the stream URL."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

from ..models import AppServerSignal, StreamEvent

Family = Literal["notification", "app_server", "alias", "bridge"]
EventHandler = Callable[[StreamEvent, "StreamContext"], Awaitable[None] | None]
AppServerHandler = Callable[[AppServerSignal, "StreamContext"], Awaitable[None] | None]
H = TypeVar("H", bound=Callable[..., Any])

_log = logging.getLogger("codex_manager.stream")
_DEDUPE_WINDOW = 8192
_CONTROL_TYPES = {"ready", "subscribed", "unsubscribed", "replayed", "resync_required", "pong", "error"}


@dataclass(slots=True)
class StreamContext:
    """What a handler knows about the stream an event came from."""

    thread_id: str | None
    reconnect_count: int
    thread_ids: tuple[str, ...] = ()
    epoch: str | None = None
    #: The stream object (``context.stream.stop()`` ends ``run_forever`` from a handler).
    stream: Any = field(default=None, repr=False)


def stream_url(
    base_url: str,
    api_prefix: str,
    *,
    thread_ids: Sequence[str] = (),
    since: int | None = None,
    families: Sequence[str] | None = None,
) -> str:
    """``ws://host:port/api/stream?threadId=...&since=...&families=...``."""
    parts = urlsplit(base_url.rstrip("/"))
    scheme = "wss" if parts.scheme == "https" else "ws"
    query: list[tuple[str, str]] = [("threadId", t) for t in thread_ids]
    if since is not None:
        query.append(("since", str(since)))
    if families:
        query.append(("families", ",".join(families)))
    path = parts.path.rstrip("/") + api_prefix.rstrip("/") + "/stream"
    return urlunsplit((scheme, parts.netloc, path, urlencode(query), ""))


HeadersFn = Callable[[], Awaitable[Mapping[str, str]]]
