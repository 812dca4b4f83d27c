"""Wait helpers (``cm.wait``): driven by stream events, polling only as a fallback.

``send_message_and_wait_reply`` subscribes to the session's events before it sends, and
returns as soon as the runtime reports the turn completed. Without a stream (a custom
executor, or the stream unreachable) the helpers poll ``GET /api/sessions/{id}``.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ._watch import TERMINAL_TURN_STATUSES, TurnWatcher
from .errors import WaitTimeoutError

if TYPE_CHECKING:
    from ._loop import LoopThread
    from .stream import AsyncEventStream

__all__ = ["AsyncWaitApi", "SessionTurnReply", "WaitApi"]

T = TypeVar("T")

#: How long a wait helper gives the stream to connect before it falls back to polling.
_CONNECT_TIMEOUT = 5.0
#: With a live stream, a safety poll this often (in case an event was lost).
_SAFETY_POLL_SECONDS = 5.0


@dataclass(slots=True)
class SessionTurnReply:
    """What ``send_message_and_wait_reply`` / ``assistant_reply`` return."""

    session_id: str
    turn_id: str
    accepted: Any
    detail: Any
    assistant_reply: str
    #: The turn's final status (``completed``, ``failed``, ``interrupted``).
    status: str | None = None


def _validate(timeout_seconds: float, interval_seconds: float, initial_delay: float, max_attempts: int | None) -> None:
    if timeout_seconds <= 0:
        raise ValueError("timeout_seconds must be > 0")
    if interval_seconds <= 0:
        raise ValueError("interval_seconds must be > 0")
    if initial_delay < 0:
        raise ValueError("initial_delay_seconds must be >= 0")
    if max_attempts is not None and max_attempts <= 0:
        raise ValueError("max_attempts must be > 0 when given")


def _timeout_message(description: str | None, timeout_seconds: float, attempts: int) -> str:
    return f"{description or 'wait condition'} did not match within {timeout_seconds:.2f}s after {attempts} attempts"


def assistant_reply_for_turn(detail: Any, turn_id: str) -> str | None:
    """The last complete assistant message of ``turn_id`` in a session's transcript."""
    transcript = detail.get("transcript") if isinstance(detail, dict) else None
    if not isinstance(transcript, list):
        return None
    for entry in reversed(transcript):
        if not isinstance(entry, dict) or entry.get("turnId") != turn_id or entry.get("role") != "assistant":
            continue
        if entry.get("status") not in ("complete", "completed"):
            continue
        content = entry.get("content")
        if isinstance(content, str) and content.strip():
            return content.strip()
    return None


def turn_status_of(detail: Any, turn_id: str) -> str | None:
    """A turn's status in a session detail (``thread.turns[].status``)."""
    thread = detail.get("thread") if isinstance(detail, dict) else None
    turns = thread.get("turns") if isinstance(thread, dict) else None
    if not isinstance(turns, list):
        return None
    for turn in turns:
        if isinstance(turn, dict) and turn.get("id") == turn_id:
            status = turn.get("status")
            return status.strip() if isinstance(status, str) and status.strip() else None
    return None


def _is_terminal(status: str) -> bool:
    return status.strip().lower() in TERMINAL_TURN_STATUSES


def _expected(expected: str | Iterable[str]) -> set[str]:
    values = [expected] if isinstance(expected, str) else list(expected)
    out: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            raise ValueError("expected statuses must be strings")
        if value.strip():
            out.add(value.strip().lower())
    if not out:
        raise ValueError("expected statuses must include at least one non-empty status")
    return out


def _turn_id(accepted: Any) -> str:
    turn_id = accepted.get("turnId") if isinstance(accepted, dict) else None
    if not isinstance(turn_id, str) or not turn_id.strip():
        raise ValueError(f"sessions.send_message did not accept the message: {accepted!r}")
    return turn_id


def _reply_ready(turn_id: str) -> Callable[[Any], bool]:
    def ready(detail: Any) -> bool:
        status = turn_status_of(detail, turn_id)
        reply = assistant_reply_for_turn(detail, turn_id)
        if status is None:
            return reply is not None
        if _is_terminal(status):
            if reply is not None:
                return True
            raise WaitTimeoutError(f"turn {turn_id} ended ({status}) without an assistant reply")
        return False

    return ready


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
