"""Subscription: one logical, reconnecting, de-duplicating subscription to ``/api/stream``."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import random
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any

from ..errors import AuthError, RequestDetails, StreamError
from ..models import StreamEvent
from ._context import _CONTROL_TYPES, _DEDUPE_WINDOW, HeadersFn, _log, stream_url


class Subscription:
    """One subscription to the stream, kept alive across reconnects; iterate for events.

    ``since``: replay events after this seq on the first connection (``None``: live only).
    ``families``: which frames per event (``None``: all four, as codex-manager sends).
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_prefix: str,
        headers: HeadersFn,
        thread_ids: Sequence[str] = (),
        since: int | None = None,
        families: Sequence[str] | None = None,
        reconnect_base_seconds: float = 0.25,
        reconnect_max_seconds: float = 10.0,
        open_timeout_seconds: float = 10.0,
        ping_interval_seconds: float | None = 15.0,
        max_reconnect_attempts: int | None = None,
        on_connect: Callable[[int], Awaitable[None] | None] | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self._base_url = base_url
        self._api_prefix = api_prefix
        self._headers = headers
        self.thread_ids = tuple(thread_ids)
        self.families = tuple(families) if families else None
        self._initial_since = since
        self._reconnect_base = reconnect_base_seconds
        self._reconnect_max = reconnect_max_seconds
        self._open_timeout = open_timeout_seconds
        self._ping_interval = ping_interval_seconds
        self._max_attempts = max_reconnect_attempts
        self._on_connect = on_connect
        self._log = logger or _log
        #: Highest seq seen in the current epoch (0: none yet).
        self.last_seq = 0
        self._last_from_event = False
        self.epoch: str | None = None
        #: Connections opened after the first one.
        self.reconnects = 0
        self.connections = 0
        self.connected = asyncio.Event()
        self._seen: OrderedDict[tuple[int, str], None] = OrderedDict()
        self._closed = False
        self._ws: Any = None
        self._wake = asyncio.Event()
        self._replay_from_zero = False
        self._closing: asyncio.Future[None] | None = None

    @property
    def closed(self) -> bool:
        return self._closed

    def _is_closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """End the iteration (from the loop's thread)."""
        self._closed = True
        self._wake.set()
        ws = self._ws
        if ws is not None:
            self._closing = asyncio.ensure_future(ws.close())

    async def send(self, frame: Mapping[str, Any]) -> None:
        """Send a client frame (``ping``, ``subscribe``) on the current connection."""
        if self._ws is None:
            raise StreamError("not connected")
        await self._ws.send(json.dumps(frame))

    def _next_since(self) -> int | None:
        if self._replay_from_zero:
            return 0
        if self.last_seq > 0:
            # One back when the last seq came with events: its frames that did not arrive
            # are sent again, the ones that did are dropped by the (seq, type) filter.
            return self.last_seq - 1 if self._last_from_event else self.last_seq
        return self._initial_since

    def _remember(self, key: tuple[int, str]) -> bool:
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > _DEDUPE_WINDOW:
            self._seen.popitem(last=False)
        return True

    def __aiter__(self) -> AsyncIterator[StreamEvent]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[StreamEvent]:
        import websockets
        from websockets.exceptions import InvalidStatus

        failures = 0
        try:
            while not self._closed:
                since = self._next_since()
                self._replay_from_zero = False
                url = stream_url(
                    self._base_url, self._api_prefix, thread_ids=self.thread_ids, since=since, families=self.families
                )
                restart_now = False
                try:
                    headers = dict(await self._headers())
                    async with websockets.connect(
                        url,
                        additional_headers=headers,
                        open_timeout=self._open_timeout,
                        ping_interval=self._ping_interval,
                        ping_timeout=self._ping_interval,
                        max_size=None,
                        compression=None,
                        close_timeout=2,
                    ) as ws:
                        self._ws = ws
                        async for raw in ws:
                            if isinstance(raw, bytes):
                                continue
                            try:
                                frame = json.loads(raw)
                            except ValueError:
                                self._log.debug("ignoring a frame that is not JSON")
                                continue
                            if not isinstance(frame, dict):
                                continue
                            if "seq" not in frame and frame.get("type") in _CONTROL_TYPES:
                                control = await self._control(frame, since)
                                if control == "restart":
                                    restart_now = True
                                    break
                                if isinstance(control, StreamEvent):
                                    yield control
                                if frame.get("type") == "ready":
                                    failures = 0
                                continue
                            event = StreamEvent.from_json(frame)
                            if event.seq is not None:
                                if not self._remember((event.seq, event.type)):
                                    continue
                                if event.seq >= self.last_seq:
                                    self.last_seq = event.seq
                                    self._last_from_event = True
                            yield event
                except InvalidStatus as error:
                    status = error.response.status_code
                    if status in (401, 403):
                        body = error.response.body.decode("utf-8", "replace") if error.response.body else ""
                        raise AuthError(
                            f"stream: the bridge refused the connection ({status}): {body.strip()[:200]}",
                            details=RequestDetails(
                                operation="stream.connect",
                                method="GET",
                                path=url,
                                status_code=status,
                                response_body=body,
                            ),
                        ) from error
                    self._log.warning("stream: connection refused with status %s; retrying", status)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    if self._is_closed():
                        break
                    self._log.debug("stream: connection lost (%r); reconnecting", error)
                finally:
                    self._ws = None
                    self.connected.clear()
                if self._is_closed():
                    break
                if restart_now:
                    continue
                failures += 1
                if self._max_attempts is not None and failures > self._max_attempts:
                    raise StreamError(f"stream: could not reconnect after {self._max_attempts} attempts")
                delay = min(self._reconnect_base * (2 ** (failures - 1)), self._reconnect_max)
                delay += delay * 0.2 * random.random()
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay)
        finally:
            self._closed = True

    async def _control(self, frame: dict[str, Any], since: int | None) -> str | StreamEvent | None:
        kind = frame.get("type")
        if kind == "ready":
            raw_epoch, raw_last = frame.get("epoch"), frame.get("lastSeq")
            epoch = raw_epoch if isinstance(raw_epoch, str) else None
            last = raw_last if isinstance(raw_last, int) else 0
            if self.epoch is not None and epoch is not None and epoch != self.epoch:
                # The bridge restarted: seqs start again. Replay the new epoch from its start.
                self._log.info("stream: bridge restarted (epoch %s -> %s); replaying", self.epoch, epoch)
                self.epoch = epoch
                self.last_seq = 0
                self._last_from_event = False
                self._seen.clear()
                if since not in (None, 0):
                    self._replay_from_zero = True
                    return "restart"
            self.epoch = epoch or self.epoch
            if since is None and last > self.last_seq:
                self.last_seq = last
                self._last_from_event = False
            self.connections += 1
            if self.connections > 1:
                self.reconnects += 1
            self.connected.set()
            if self._on_connect is not None:
                try:
                    result = self._on_connect(self.connections - 1)
                    if inspect.isawaitable(result):
                        await result
                except Exception:
                    self._log.exception("stream: on_connect callback failed")
            return None
        if kind == "resync_required":
            newest = frame.get("lastSeq")
            # `since_ahead` / `epoch_changed`: our seq is not from this bridge run, so the
            # bridge's position replaces it even when it is lower.
            behind = frame.get("reason") in ("since_ahead", "epoch_changed")
            if isinstance(newest, int) and (newest > self.last_seq or behind):
                self.last_seq = newest
                self._last_from_event = False
            self._log.warning("stream: events were lost (oldest held %s); reload state", frame.get("oldestSeq"))
            return StreamEvent(
                type="resync_required", thread_id=None, payload=frame, seq=None, epoch=self.epoch, raw=frame
            )
        if kind == "error":
            self._log.warning("stream: the bridge rejected a frame: %s", frame.get("message"))
        return None
