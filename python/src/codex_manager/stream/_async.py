"""AsyncEventStream: ``acm.stream``, handler decorators and ``run_forever`` for the async client."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from ..models import AppServerSignal, StreamEvent
from ..protocols import StreamRouter
from ._context import Family, H, StreamContext, _log
from ._families import ALL_FAMILIES, families_needed, family_of_prefix, family_of_type
from ._router import EventRouter, _type_is, _type_starts
from ._subscription import Subscription


class AsyncEventStream:
    """``acm.stream``: register handlers with the decorators, then ``await run_forever()``."""

    def __init__(
        self,
        *,
        base_url: str,
        api_prefix: str = "/api",
        headers: Mapping[str, str] | None = None,
        header_provider: Any = None,
        reconnect_base_seconds: float = 0.25,
        reconnect_max_seconds: float = 10.0,
        ping_interval_seconds: float = 15.0,
        receive_timeout_seconds: float = 1.0,
        open_timeout_seconds: float = 10.0,
        drain_timeout_seconds: float | None = 10.0,
        logger: logging.Logger | None = None,
        router: StreamRouter | None = None,
        families: Sequence[Family] | None = None,
    ) -> None:
        del receive_timeout_seconds  # accepted for compatibility; receiving never polls
        self._base_url = base_url.rstrip("/")
        self._api_prefix = api_prefix.rstrip("/")
        self._static_headers = dict(headers or {})
        self._header_provider = header_provider
        self._reconnect_base = reconnect_base_seconds
        self._reconnect_max = reconnect_max_seconds
        self._ping_interval = ping_interval_seconds
        self._open_timeout = open_timeout_seconds
        self._drain_timeout = drain_timeout_seconds
        self._log = logger or _log
        self._router: Any = router or EventRouter(on_handler_error=self._handle_handler_error, logger=self._log)
        self._families = tuple(families) if families else None
        #: What each registered handler needs (see ``_families``); ``run_forever`` asks for the union.
        self._needs: list[frozenset[Family]] = []
        self._subscription: Subscription | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_requested = False

    # -- handlers ----------------------------------------------------------------------

    @property
    def router(self) -> Any:
        return self._router

    def _add(
        self,
        matcher: Callable[[StreamEvent], bool],
        handler: Any,
        transform: Any = None,
        need: frozenset[Family] = frozenset(ALL_FAMILIES),
    ) -> None:
        self._needs.append(need)
        if isinstance(self._router, EventRouter):
            self._router.add(matcher, handler, transform=transform)
        elif transform is None:
            self._router.add(matcher, handler)
        else:

            async def adapted(event: StreamEvent, context: StreamContext) -> None:
                result = handler(transform(event), context)
                if inspect.isawaitable(result):
                    await result

            self._router.add(matcher, adapted)

    def on(self, matcher: Callable[[StreamEvent], bool]) -> Callable[[H], H]:
        """Handle events for which ``matcher(event)`` is true."""

        def decorator(handler: H) -> H:
            self._add(matcher, handler)
            return handler

        return decorator

    def on_event(self, event_type: str) -> Callable[[H], H]:
        """Handle events of one type (``approval``, ``notification``, ``app_server.turn.completed``)."""

        def decorator(handler: H) -> H:
            self._add(_type_is(event_type), handler, need=family_of_type(event_type))
            return handler

        return decorator

    def on_event_prefix(self, prefix: str) -> Callable[[H], H]:
        """Handle events whose type starts with ``prefix`` (``app_server.item.``)."""

        def decorator(handler: H) -> H:
            self._add(_type_starts(prefix), handler, need=family_of_prefix(prefix))
            return handler

        return decorator

    def on_app_server(self, normalized_method: str) -> Callable[[H], H]:
        """Handle a runtime notification as an :class:`AppServerSignal` (``"item.started"``)."""
        event_type = f"app_server.{normalized_method.strip('.')}"

        def decorator(handler: H) -> H:
            self._add(_type_is(event_type), handler, AppServerSignal.from_stream_event, frozenset({"app_server"}))
            return handler

        return decorator

    def on_app_server_request(self, normalized_method: str) -> Callable[[H], H]:
        """Handle a runtime request (``"item.tool.call"``) as an :class:`AppServerSignal`."""
        event_type = f"app_server.request.{normalized_method.strip('.')}"

        def decorator(handler: H) -> H:
            self._add(_type_is(event_type), handler, AppServerSignal.from_stream_event, frozenset({"app_server"}))
            return handler

        return decorator

    def on_turn_started(self) -> Callable[[H], H]:
        """Handle ``app_server.turn.started`` events."""
        return self.on_event("app_server.turn.started")

    def on_resync(self) -> Callable[[H], H]:
        """Handle ``resync_required``: the bridge could not replay a gap (reload state)."""
        return self.on_event("resync_required")

    @property
    def families_needed(self) -> tuple[Family, ...] | None:
        """The families ``run_forever`` asks for: the constructor's, else those the handlers need (None: all)."""
        if self._families is not None:
            return self._families
        if not isinstance(self._router, EventRouter):
            return None  # handlers registered on a custom router directly are unknown
        return families_needed(self._needs)

    async def _handle_handler_error(self, error: Exception, event: StreamEvent) -> None:
        del error, event  # already logged by the router

    # -- connection --------------------------------------------------------------------

    async def _headers(self) -> Mapping[str, str]:
        headers = dict(self._static_headers)
        provider = self._header_provider
        if provider is not None:
            extra = provider.headers()
            if inspect.isawaitable(extra):
                extra = await extra
            headers.update(extra or {})
        return headers

    def subscription(
        self,
        *,
        thread_id: str | None = None,
        thread_ids: Iterable[str] | None = None,
        since: int | None = None,
        families: Sequence[str] | None = None,
        on_connect: Callable[[int], Awaitable[None] | None] | None = None,
        max_reconnect_attempts: int | None = None,
    ) -> Subscription:
        """A new :class:`Subscription` with this stream's connection settings."""
        ids = [*([thread_id] if thread_id else []), *(thread_ids or [])]
        return Subscription(
            base_url=self._base_url,
            api_prefix=self._api_prefix,
            headers=self._headers,
            thread_ids=ids,
            since=since,
            families=families if families is not None else self._families,
            reconnect_base_seconds=self._reconnect_base,
            reconnect_max_seconds=self._reconnect_max,
            open_timeout_seconds=self._open_timeout,
            ping_interval_seconds=self._ping_interval,
            on_connect=on_connect,
            max_reconnect_attempts=max_reconnect_attempts,
            logger=self._log,
        )

    async def events(
        self,
        *,
        thread_id: str | None = None,
        thread_ids: Iterable[str] | None = None,
        since: int | None = None,
        families: Sequence[str] | None = None,
    ) -> AsyncIterator[StreamEvent]:
        """Iterate events directly (no handlers), reconnecting and replaying as needed."""
        sub = self.subscription(thread_id=thread_id, thread_ids=thread_ids, since=since, families=families)
        events = sub.__aiter__()
        try:
            async for event in events:
                yield event
        finally:
            sub.close()
            await events.aclose()  # type: ignore[attr-defined]

    @property
    def last_seq(self) -> int:
        return self._subscription.last_seq if self._subscription else 0

    @property
    def epoch(self) -> str | None:
        return self._subscription.epoch if self._subscription else None

    async def wait_connected(self, timeout: float | None = None) -> None:
        """Wait until ``run_forever``'s connection is open (and its replay requested)."""
        deadline = asyncio.get_running_loop().time() + timeout if timeout is not None else None
        while self._subscription is None:
            await asyncio.sleep(0.01)
            if deadline is not None and asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("stream not started")
        remaining = None if deadline is None else max(0.0, deadline - asyncio.get_running_loop().time())
        await asyncio.wait_for(self._subscription.connected.wait(), remaining)

    def stop(self) -> None:
        """End ``run_forever`` (from any thread, or from a handler)."""
        self._stop_requested = True
        loop, sub = self._loop, self._subscription
        if loop is None or sub is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            sub.close()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(sub.close)

    async def run_forever(
        self,
        *,
        thread_id: str | None = None,
        thread_ids: Iterable[str] | None = None,
        since: int | None = None,
        families: Sequence[Family] | None = None,
        stop_event: asyncio.Event | None = None,
    ) -> None:
        """Receive events and dispatch them to the handlers until ``stop()`` or ``stop_event``.

        Reconnects with replay after disconnects. On the way out, waits (up to
        ``drain_timeout_seconds``) for handlers to finish the events already received.
        """
        self._loop = asyncio.get_running_loop()
        self._stop_requested = False
        if families is None:
            families = self.families_needed
        sub = self.subscription(thread_id=thread_id, thread_ids=thread_ids, since=since, families=families)
        self._subscription = sub
        inbox: asyncio.Queue[tuple[StreamEvent, StreamContext] | None] = asyncio.Queue()
        ids = sub.thread_ids

        async def pump() -> None:
            while True:
                item = await inbox.get()
                try:
                    if item is None:
                        return
                    await self._router.dispatch(*item)
                except Exception:
                    self._log.exception("stream: router dispatch failed")
                finally:
                    inbox.task_done()

        dispatcher = asyncio.create_task(pump())
        watcher: asyncio.Task[None] | None = None
        if stop_event is not None:

            async def watch() -> None:
                await stop_event.wait()
                sub.close()

            watcher = asyncio.create_task(watch())
        events = sub.__aiter__()
        try:
            if self._stop_requested:
                return
            async for event in events:
                context = StreamContext(
                    thread_id=event.thread_id or (ids[0] if ids else None),
                    reconnect_count=sub.reconnects,
                    thread_ids=ids,
                    epoch=sub.epoch,
                    stream=self,
                )
                inbox.put_nowait((event, context))
        finally:
            sub.close()
            await events.aclose()  # type: ignore[attr-defined]
            if watcher is not None:
                watcher.cancel()
            inbox.put_nowait(None)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(dispatcher), self._drain_timeout)
            drain = getattr(self._router, "drain", None)
            if callable(drain):
                await drain(self._drain_timeout)
            dispatcher.cancel()
            closer = getattr(self._router, "aclose", None)
            if callable(closer):
                await closer()
            self._loop = None
