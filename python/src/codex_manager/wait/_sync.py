"""WaitApi: ``cm.wait``, the sync client's stream-driven wait helpers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
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
    from .._loop import LoopThread
    from ..stream import AsyncEventStream


class WaitApi:
    """Sync wait helpers (``cm.wait``)."""

    def __init__(
        self,
        sessions_api: Any,
        *,
        stream: AsyncEventStream | None = None,
        loop: LoopThread | None = None,
    ) -> None:
        self._sessions = sessions_api
        self._stream = stream
        self._loop = loop

    def until(
        self,
        poll: Callable[[], T],
        *,
        predicate: Callable[[T], bool] | None = None,
        timeout_seconds: float = 60.0,
        interval_seconds: float = 0.25,
        initial_delay_seconds: float = 0.0,
        max_attempts: int | None = None,
        description: str | None = None,
    ) -> T:
        """Call ``poll()`` until ``predicate(value)`` (default: truthy); return that value."""
        _validate(timeout_seconds, interval_seconds, initial_delay_seconds, max_attempts)
        if initial_delay_seconds > 0:
            time.sleep(initial_delay_seconds)
        start = time.monotonic()
        attempts = 0
        check = predicate or bool
        while True:
            attempts += 1
            value = poll()
            if check(value):
                return value
            if (max_attempts is not None and attempts >= max_attempts) or time.monotonic() - start >= timeout_seconds:
                raise WaitTimeoutError(_timeout_message(description, timeout_seconds, attempts))
            time.sleep(interval_seconds)

    # -- stream plumbing --------------------------------------------------------------

    def _watch(self, session_id: str) -> TurnWatcher | None:
        if self._stream is None or self._loop is None:
            return None
        stream = self._stream

        async def open_watcher() -> TurnWatcher | None:
            watcher = TurnWatcher(stream, session_id)
            return watcher if await watcher.start(_CONNECT_TIMEOUT) else None

        try:
            return self._loop.run(open_watcher(), timeout=_CONNECT_TIMEOUT + 5)
        except Exception:
            return None

    def _close(self, watcher: TurnWatcher | None) -> None:
        if watcher is not None and self._loop is not None:
            try:
                self._loop.run(watcher.aclose(), timeout=5)
            except Exception:
                pass

    def _poll_status(self, session_id: str, turn_id: str) -> str | None:
        return turn_status_of(self._sessions.get(session_id=session_id, allow_statuses=()), turn_id)

    def _wait_status(
        self,
        watcher: TurnWatcher,
        session_id: str,
        turn_id: str,
        accept: Callable[[str], bool],
        timeout_seconds: float,
        interval_seconds: float,
        poll_first: bool = False,
    ) -> str:
        assert self._loop is not None

        async def poll() -> str | None:
            return await asyncio.to_thread(self._poll_status, session_id, turn_id)

        coro = watcher.wait_status(
            turn_id,
            accept,
            timeout=timeout_seconds,
            poll=poll,
            poll_every=max(_SAFETY_POLL_SECONDS, interval_seconds),
            poll_first=poll_first,
        )
        try:
            return self._loop.run(coro, timeout=timeout_seconds + 5)
        except TimeoutError as error:
            raise WaitTimeoutError(
                f"turn {turn_id} did not reach the expected status within {timeout_seconds:.2f}s"
            ) from error

    def _reply_from_watcher(
        self,
        watcher: TurnWatcher,
        session_id: str,
        turn_id: str,
        accepted: Any,
        timeout_seconds: float,
        interval_seconds: float,
        poll_first: bool = False,
    ) -> SessionTurnReply:
        status = self._wait_status(
            watcher, session_id, turn_id, _is_terminal, timeout_seconds, interval_seconds, poll_first
        )
        detail = self._sessions.get(session_id=session_id, allow_statuses=())
        reply = assistant_reply_for_turn(detail, turn_id) or watcher.agent_reply(turn_id)
        if reply is None:
            raise WaitTimeoutError(f"turn {turn_id} ended ({status}) without an assistant reply")
        return SessionTurnReply(session_id, turn_id, accepted, detail, reply, status)

    # -- helpers ----------------------------------------------------------------------

    def assistant_reply(
        self,
        *,
        session_id: str,
        turn_id: str,
        timeout_seconds: float = 60.0,
        interval_seconds: float = 0.25,
    ) -> SessionTurnReply:
        """The assistant's reply of a turn, once the turn has ended."""
        _validate(timeout_seconds, interval_seconds, 0.0, None)
        watcher = self._watch(session_id)
        try:
            if watcher is not None:
                return self._reply_from_watcher(
                    watcher, session_id, turn_id, None, timeout_seconds, interval_seconds, poll_first=True
                )
            detail = self.until(
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
            self._close(watcher)

    def turn_status(
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
            return self._poll_status(session_id, turn_id)
        want = _expected(expected)
        _validate(timeout_seconds, interval_seconds, 0.0, None)
        watcher = self._watch(session_id)
        try:
            if watcher is not None:
                return self._wait_status(
                    watcher, session_id, turn_id, lambda s: s.lower() in want, timeout_seconds, interval_seconds, True
                )
            detail = self.until(
                lambda: self._sessions.get(session_id=session_id, allow_statuses=()),
                predicate=lambda d: (turn_status_of(d, turn_id) or "").lower() in want,
                timeout_seconds=timeout_seconds,
                interval_seconds=interval_seconds,
                description=f"turn {turn_id} status in {', '.join(sorted(want))}",
            )
            return turn_status_of(detail, turn_id)
        finally:
            self._close(watcher)

    def send_message_and_wait_reply(
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
        watcher = self._watch(session_id)
        try:
            send_kwargs.setdefault("allow_statuses", ())
            accepted = self._sessions.send_message(session_id=session_id, text=text, **send_kwargs)
            turn_id = _turn_id(accepted)
            if watcher is not None:
                return self._reply_from_watcher(
                    watcher, session_id, turn_id, accepted, timeout_seconds, interval_seconds
                )
            waited = self.assistant_reply(
                session_id=session_id,
                turn_id=turn_id,
                timeout_seconds=timeout_seconds,
                interval_seconds=interval_seconds,
            )
            waited.accepted = accepted
            return waited
        finally:
            self._close(watcher)
