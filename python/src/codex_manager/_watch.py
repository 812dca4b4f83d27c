"""Following one thread's turns on the stream (behind the wait helpers)."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import StreamEvent
    from .stream import AsyncEventStream, Subscription

__all__ = ["TERMINAL_TURN_STATUSES", "TurnWatcher"]

_log = logging.getLogger("codex_manager.wait")

TERMINAL_TURN_STATUSES = frozenset({"completed", "complete", "failed", "error", "interrupted", "canceled", "cancelled"})

StatusPoll = Callable[[], Awaitable[str | None]]
EventCallback = Callable[["StreamEvent"], Awaitable[None] | None]
ConnectCallback = Callable[[int], Awaitable[None] | None]


class TurnWatcher:
    """Listens to a thread's runtime notifications: turn starts and ends, agent messages.

    Connect it *before* starting the turn (``start``): everything from then on is seen, so
    a turn that completes at once is not missed. ``wait_status`` returns as soon as the
    ``turn/completed`` notification arrives; it polls only when the stream is down, after a
    ``resync_required``, and every ``poll_every`` seconds as a safety net.
    """

    def __init__(
        self,
        stream: AsyncEventStream,
        thread_id: str,
        *,
        families: Sequence[str] = ("notification",),
        on_event: EventCallback | None = None,
        on_connect: ConnectCallback | None = None,
    ) -> None:
        self.thread_id = thread_id
        self._on_event = on_event
        self._sub: Subscription = stream.subscription(
            thread_id=thread_id, families=list(families), on_connect=on_connect
        )
        self.statuses: dict[str, str] = {}
        self.turns: dict[str, dict[str, Any]] = {}
        self.agent_messages: dict[str, list[str]] = {}
        self.resyncs = 0
        self.error: BaseException | None = None
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def live(self) -> bool:
        return self._sub.connected.is_set()

    async def start(self, timeout: float) -> bool:
        """Connect; False (and closed) when the stream cannot be reached within ``timeout``."""
        self._task = asyncio.create_task(self._run())
        connected = asyncio.create_task(self._sub.connected.wait())
        done, _ = await asyncio.wait({connected, self._task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if connected in done:
            return True
        connected.cancel()
        await self.aclose()
        return False

    async def aclose(self) -> None:
        self._sub.close()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _run(self) -> None:
        events = self._sub.__aiter__()
        try:
            async for event in events:
                if self._on_event is not None:
                    try:
                        result = self._on_event(event)
                        if inspect.isawaitable(result):
                            await result
                    except Exception:
                        _log.exception("turn watcher: event callback failed")
                if event.type == "resync_required":
                    self.resyncs += 1
                    self._changed.set()
                    continue
                if event.type != "notification":
                    continue
                params = event.params if isinstance(event.params, dict) else {}
                method = event.method
                if method in ("turn/started", "turn/completed"):
                    turn = params.get("turn")
                    if isinstance(turn, dict) and isinstance(turn.get("id"), str):
                        status = turn.get("status")
                        self.statuses[turn["id"]] = status if isinstance(status, str) else "inProgress"
                        if method == "turn/completed":
                            self.turns[turn["id"]] = turn
                            if not isinstance(status, str):
                                self.statuses[turn["id"]] = "completed"
                elif method == "item/completed":
                    item = params.get("item")
                    turn_id = params.get("turnId")
                    if isinstance(item, dict) and item.get("type") == "agentMessage" and isinstance(turn_id, str):
                        text = item.get("text")
                        if isinstance(text, str):
                            self.agent_messages.setdefault(turn_id, []).append(text)
                else:
                    continue
                self._changed.set()
        except asyncio.CancelledError:
            raise
        except BaseException as error:
            self.error = error
            self._changed.set()
        finally:
            self._sub.close()
            with contextlib.suppress(Exception):
                await events.aclose()  # type: ignore[attr-defined]

    def agent_reply(self, turn_id: str) -> str | None:
        messages = [m.strip() for m in self.agent_messages.get(turn_id, []) if m.strip()]
        if messages:
            return messages[-1]
        turn = self.turns.get(turn_id)
        items = turn.get("items") if isinstance(turn, dict) else None
        if isinstance(items, list):
            for item in reversed(items):
                if isinstance(item, dict) and item.get("type") == "agentMessage":
                    text = item.get("text")
                    if isinstance(text, str) and text.strip():
                        return text.strip()
        return None

    async def wait_status(
        self,
        turn_id: str,
        accept: Callable[[str], bool],
        *,
        timeout: float,
        poll: StatusPoll,
        poll_every: float = 5.0,
        poll_first: bool = False,
    ) -> str:
        """The turn's status once ``accept(status)`` holds; ``TimeoutError`` otherwise.

        ``poll_first``: poll once at the start (when the watcher may have connected after
        the turn began, so its start or end may not be among the events seen).
        """
        deadline = time.monotonic() + timeout
        seen_resyncs = self.resyncs
        next_poll = time.monotonic() if poll_first else time.monotonic() + poll_every
        while True:
            status = self.statuses.get(turn_id)
            if status is not None and accept(status):
                return status
            now = time.monotonic()
            if now >= deadline:
                raise TimeoutError(f"turn {turn_id}: no matching status within {timeout:.1f}s")
            must_poll = self.error is not None or self.resyncs != seen_resyncs or not self.live or now >= next_poll
            if must_poll:
                seen_resyncs = self.resyncs
                next_poll = now + poll_every
                polled = await poll()
                if polled is not None:
                    self.statuses.setdefault(turn_id, polled)
                    if accept(polled):
                        self.statuses[turn_id] = polled
                        return polled
            wait_for = min(deadline - time.monotonic(), max(0.0, next_poll - time.monotonic()))
            if self.error is not None or not self.live:
                wait_for = min(wait_for, 0.25)
            self._changed.clear()
            if self.statuses.get(turn_id) is not None and accept(self.statuses[turn_id]):
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), max(0.0, wait_for))
