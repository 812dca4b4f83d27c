"""AsyncWaitApi: ``acm.wait``, the async client's stream-driven wait helpers."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from .._watch import TurnWatcher
from ..errors import WaitTimeoutError
from ._turns import (
    _CONNECT_TIMEOUT,
    _SAFETY_POLL_SECONDS,
    SessionTurnReply,
    T,
    _expected,
    _is_terminal,
    _reply_ready,
    _timeout_message,
    _turn_id,
    _validate,
    assistant_reply_for_turn,
    turn_status_of,
)

if TYPE_CHECKING:
    from ..stream import AsyncEventStream


class AsyncWaitApi:
    """Async wait helpers (``acm.wait``)."""

    def __init__(self, sessions_api: Any, *, stream: AsyncEventStream | None = None) -> None:
        self._sessions = sessions_api
        self._stream = stream

    async def until(
        self,
        poll: Callable[[], T | Awaitable[T]],
        *,
        predicate: Callable[[T], bool | Awaitable[bool]] | None = None,
        timeout_seconds: float = 60.0,
        interval_seconds: float = 0.25,
        initial_delay_seconds: float = 0.0,
        max_attempts: int | None = None,
        description: str | None = None,
    ) -> T:
        """Await ``poll()`` until ``predicate(value)`` (default: truthy); return that value."""
        _validate(timeout_seconds, interval_seconds, initial_delay_seconds, max_attempts)
        if initial_delay_seconds > 0:
            await asyncio.sleep(initial_delay_seconds)
        start = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            value = poll()
            if inspect.isawaitable(value):
                value = await value
            matched: Any = bool(value) if predicate is None else predicate(value)
            if inspect.isawaitable(matched):
                matched = await matched
            if matched:
                return value
            if (max_attempts is not None and attempts >= max_attempts) or time.monotonic() - start >= timeout_seconds:
                raise WaitTimeoutError(_timeout_message(description, timeout_seconds, attempts))
            await asyncio.sleep(interval_seconds)

    async def _watch(self, session_id: str) -> TurnWatcher | None:
        if self._stream is None:
            return None
        watcher = TurnWatcher(self._stream, session_id)
        try:
            return watcher if await watcher.start(_CONNECT_TIMEOUT) else None
        except Exception:
            await watcher.aclose()
            return None

    async def _poll_status(self, session_id: str, turn_id: str) -> str | None:
        return turn_status_of(await self._sessions.get(session_id=session_id, allow_statuses=()), turn_id)

    async def _wait_status(
        self,
        watcher: TurnWatcher,
        session_id: str,
        turn_id: str,
        accept: Callable[[str], bool],
        timeout_seconds: float,
        interval_seconds: float,
        poll_first: bool = False,
    ) -> str:
        try:
            return await watcher.wait_status(
                turn_id,
                accept,
                timeout=timeout_seconds,
                poll=lambda: self._poll_status(session_id, turn_id),
                poll_every=max(_SAFETY_POLL_SECONDS, interval_seconds),
                poll_first=poll_first,
            )
        except TimeoutError as error:
            raise WaitTimeoutError(
                f"turn {turn_id} did not reach the expected status within {timeout_seconds:.2f}s"
            ) from error

    async def _reply_from_watcher(
        self,
        watcher: TurnWatcher,
        session_id: str,
        turn_id: str,
        accepted: Any,
        timeout_seconds: float,
        interval_seconds: float,
        poll_first: bool = False,
    ) -> SessionTurnReply:
        status = await self._wait_status(
            watcher, session_id, turn_id, _is_terminal, timeout_seconds, interval_seconds, poll_first
        )
        detail = await self._sessions.get(session_id=session_id, allow_statuses=())
        reply = assistant_reply_for_turn(detail, turn_id) or watcher.agent_reply(turn_id)
        if reply is None:
            raise WaitTimeoutError(f"turn {turn_id} ended ({status}) without an assistant reply")
        return SessionTurnReply(session_id, turn_id, accepted, detail, reply, status)

    async def assistant_reply(
        self,
        *,
        session_id: str,
        turn_id: str,
        timeout_seconds: float = 60.0,
        interval_seconds: float = 0.25,
    ) -> SessionTurnReply:
        """The assistant's reply of a turn, once the turn has ended."""
        _validate(timeout_seconds, interval_seconds, 0.0, None)
        watcher = await self._watch(session_id)
        try:
            if watcher is not None:
                return await self._reply_from_watcher(
                    watcher, session_id, turn_id, None, timeout_seconds, interval_seconds, poll_first=True
                )
            detail = await self.until(
                lambda: self._sessions.get(session_id=session_id, allow_statuses=()),
                predicate=_reply_ready(turn_id),
                timeout_seconds=timeout_seconds,
                interval_seconds=interval_seconds,
                description=f"assistant reply for turn {turn_id}",
            )
            reply = assistant_reply_for_turn(detail, turn_id)
            if reply is None:
                raise WaitTimeoutError(f"assistant reply for turn {turn_id} was not available")
            return SessionTurnReply(session_id, turn_id, None, detail, reply, turn_status_of(detail, turn_id))
        finally:
            if watcher is not None:
                await watcher.aclose()

    async def turn_status(
        self,
        *,
        session_id: str,
        turn_id: str,
        expected: str | Iterable[str] | None = None,
        timeout_seconds: float = 60.0,
        interval_seconds: float = 0.25,
    ) -> str | None:
        """The turn's status now (``expected=None``), or once it is one of ``expected``."""
        if expected is None:
            return await self._poll_status(session_id, turn_id)
        want = _expected(expected)
        _validate(timeout_seconds, interval_seconds, 0.0, None)
        watcher = await self._watch(session_id)
        try:
            if watcher is not None:
                return await self._wait_status(
                    watcher, session_id, turn_id, lambda s: s.lower() in want, timeout_seconds, interval_seconds, True
                )
            detail = await self.until(
                lambda: self._sessions.get(session_id=session_id, allow_statuses=()),
                predicate=lambda d: (turn_status_of(d, turn_id) or "").lower() in want,
                timeout_seconds=timeout_seconds,
                interval_seconds=interval_seconds,
                description=f"turn {turn_id} status in {', '.join(sorted(want))}",
            )
            return turn_status_of(detail, turn_id)
        finally:
            if watcher is not None:
                await watcher.aclose()

    async def send_message_and_wait_reply(
        self,
        *,
        session_id: str,
        text: str,
        timeout_seconds: float = 60.0,
        interval_seconds: float = 0.25,
        **send_kwargs: Any,
    ) -> SessionTurnReply:
        """Send ``text`` and return the assistant's reply as soon as the turn completes."""
        _validate(timeout_seconds, interval_seconds, 0.0, None)
        watcher = await self._watch(session_id)
        try:
            send_kwargs.setdefault("allow_statuses", ())
            accepted = await self._sessions.send_message(session_id=session_id, text=text, **send_kwargs)
            turn_id = _turn_id(accepted)
            if watcher is not None:
                return await self._reply_from_watcher(
                    watcher, session_id, turn_id, accepted, timeout_seconds, interval_seconds
                )
            waited = await self.assistant_reply(
                session_id=session_id,
                turn_id=turn_id,
                timeout_seconds=timeout_seconds,
                interval_seconds=interval_seconds,
            )
            waited.accepted = accepted
            return waited
        finally:
            if watcher is not None:
                await watcher.aclose()
