"""Stream listeners that answer a session's tool calls as they arrive and track its turns."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, Any

from .._watch import TurnWatcher
from ..models import StreamEvent
from ._types import RemoteSkillDispatch, _log

if TYPE_CHECKING:
    from ._async import AsyncRemoteSkillSession
    from ._sync import RemoteSkillSession


class _ListenerBase:
    """Follows one session's events: answers tool calls, tracks turns (a :class:`TurnWatcher`)."""

    def __init__(self, stream: Any, session_id: str) -> None:
        self.dispatches: list[RemoteSkillDispatch] = []
        self.reconnects = 0
        self._tasks: set[asyncio.Future[None]] = set()
        self.watcher = TurnWatcher(
            stream,
            session_id,
            families=("notification", "bridge"),
            on_event=self._on_event,
            on_connect=self._on_connect,
        )

    async def _drain_now(self) -> list[RemoteSkillDispatch]:
        raise NotImplementedError

    async def _answer_now(self, payload: Any) -> RemoteSkillDispatch | None:
        raise NotImplementedError

    def _record(self, found: Iterable[RemoteSkillDispatch | None]) -> None:
        for d in found:
            if d is not None and d.submission_status not in ("local_duplicate", "in_flight"):
                self.dispatches.append(d)

    async def _drain(self) -> None:
        try:
            self._record(await self._drain_now())
        except Exception as error:
            _log.warning("remote skills: draining pending calls failed: %r", error)

    async def _answer(self, payload: Any) -> None:
        try:
            self._record([await self._answer_now(payload)])
        except Exception as error:
            _log.warning("remote skills: answering a call failed: %r", error)

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_connect(self, reconnects: int) -> None:
        self.reconnects = reconnects
        self._spawn(self._drain())

    def _on_event(self, event: StreamEvent) -> None:
        if event.type == "tool_call_requested":
            self._spawn(self._answer(event.payload))
        elif event.type == "resync_required":
            self._spawn(self._drain())

    async def start(self, timeout: float) -> bool:
        return await self.watcher.start(timeout)

    async def stop(self) -> None:
        """Stop following events once the calls in progress are answered."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self.watcher.aclose()


class _Listener(_ListenerBase):
    def __init__(self, session: RemoteSkillSession, attempts: int, delay: float) -> None:
        super().__init__(session._client.async_stream, session.session_id)
        self._session = session
        self._attempts = attempts
        self._delay = delay

    async def _drain_now(self) -> list[RemoteSkillDispatch]:
        return await asyncio.to_thread(
            self._session.drain_pending_calls, max_submit_attempts=self._attempts, retry_delay_seconds=self._delay
        )

    async def _answer_now(self, payload: Any) -> RemoteSkillDispatch | None:
        return await asyncio.to_thread(
            self._session.respond_to_pending_call,
            payload,
            max_submit_attempts=self._attempts,
            retry_delay_seconds=self._delay,
        )


class _AsyncListener(_ListenerBase):
    def __init__(self, session: AsyncRemoteSkillSession, attempts: int, delay: float) -> None:
        super().__init__(session._client.stream, session.session_id)
        self._session = session
        self._attempts = attempts
        self._delay = delay

    async def _drain_now(self) -> list[RemoteSkillDispatch]:
        return await self._session.drain_pending_calls(
            max_submit_attempts=self._attempts, retry_delay_seconds=self._delay
        )

    async def _answer_now(self, payload: Any) -> RemoteSkillDispatch | None:
        return await self._session.respond_to_pending_call(
            payload, max_submit_attempts=self._attempts, retry_delay_seconds=self._delay
        )
