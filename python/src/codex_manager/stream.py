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

import asyncio
import concurrent.futures
import contextlib
import inspect
import json
import logging
import random
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

from .errors import AuthError, RequestDetails, StreamError
from .models import AppServerSignal, StreamEvent
from .protocols import StreamHandler, StreamMatcher, StreamRouter

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
            if isinstance(newest, int) and newest > self.last_seq:
                self.last_seq = newest
                self._last_from_event = False
            self._log.warning("stream: events were lost (oldest held %s); reload state", frame.get("oldestSeq"))
            return StreamEvent(
                type="resync_required", thread_id=None, payload=frame, seq=None, epoch=self.epoch, raw=frame
            )
        if kind == "error":
            self._log.warning("stream: the bridge rejected a frame: %s", frame.get("message"))
        return None


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------


def _is_async_callable(fn: Any) -> bool:
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(fn, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(call)


@dataclass(slots=True, eq=False)
class _Route:
    matcher: Callable[[StreamEvent], bool]
    handler: Callable[..., Any]
    transform: Callable[[StreamEvent], Any] | None
    is_async: bool
    queue: asyncio.Queue[tuple[StreamEvent, StreamContext]] | None = None
    worker: asyncio.Task[None] | None = None


class EventRouter:
    """Routes events to handlers; one queue and worker per handler, never blocking.

    ``dispatch`` only enqueues: a slow handler delays nothing but its own later events,
    and none is dropped (queues are unbounded). A failing handler is logged (and passed to
    ``on_handler_error``); the others go on.
    """

    def __init__(
        self,
        *,
        on_handler_error: Callable[[Exception, StreamEvent], Awaitable[None] | None] | None = None,
        max_handler_threads: int = 16,
        logger: logging.Logger | None = None,
    ) -> None:
        self._routes: list[_Route] = []
        self._on_handler_error = on_handler_error
        self._max_threads = max_handler_threads
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._log = logger or _log

    def add(
        self,
        matcher: StreamMatcher | Callable[[StreamEvent], bool],
        handler: StreamHandler | Callable[..., Any],
        *,
        transform: Callable[[StreamEvent], Any] | None = None,
    ) -> None:
        self._routes.append(_Route(matcher, handler, transform, _is_async_callable(handler)))

    def remove(self, handler: Callable[..., Any]) -> int:
        removed = [r for r in self._routes if r.handler is handler]
        self._routes = [r for r in self._routes if r.handler is not handler]
        for route in removed:
            if route.worker is not None:
                route.worker.cancel()
        return len(removed)

    @property
    def handler_count(self) -> int:
        return len(self._routes)

    async def dispatch(self, event: StreamEvent, context: StreamContext) -> None:
        for route in self._routes:
            try:
                if not route.matcher(event):
                    continue
            except Exception:
                self._log.exception("stream: a matcher failed on %s", event.type)
                continue
            if route.queue is None:
                route.queue = asyncio.Queue()
            route.queue.put_nowait((event, context))
            if route.worker is None or route.worker.done():
                route.worker = asyncio.get_running_loop().create_task(self._work(route))

    async def _work(self, route: _Route) -> None:
        assert route.queue is not None
        loop = asyncio.get_running_loop()
        while True:
            event, context = await route.queue.get()
            try:
                value = route.transform(event) if route.transform else event
                if route.is_async:
                    await route.handler(value, context)
                else:
                    if self._executor is None:
                        self._executor = concurrent.futures.ThreadPoolExecutor(
                            max_workers=self._max_threads, thread_name_prefix="codex-manager-handler"
                        )
                    result = await loop.run_in_executor(self._executor, route.handler, value, context)
                    if inspect.isawaitable(result):
                        await result
            except asyncio.CancelledError:
                raise
            except Exception as error:
                await self._report(error, event, route)
            finally:
                route.queue.task_done()

    async def _report(self, error: Exception, event: StreamEvent, route: _Route) -> None:
        name = getattr(route.handler, "__qualname__", repr(route.handler))
        self._log.error("stream: handler %s failed on %s: %r", name, event.type, error, exc_info=error)
        if self._on_handler_error is None:
            return
        try:
            result = self._on_handler_error(error, event)
            if inspect.isawaitable(result):
                await result
        except Exception:
            self._log.exception("stream: on_handler_error failed")

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every queued event was handled; False when ``timeout`` ran out first."""
        waits = [r.queue.join() for r in self._routes if r.queue is not None and r.worker is not None]
        if not waits:
            return True
        try:
            await asyncio.wait_for(asyncio.gather(*waits), timeout)
        except TimeoutError:
            return False
        return True

    async def aclose(self) -> None:
        workers = [r.worker for r in self._routes if r.worker is not None]
        for route in self._routes:
            if route.worker is not None:
                route.worker.cancel()
            route.worker = None
            route.queue = None
        await asyncio.gather(*workers, return_exceptions=True)
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _type_is(event_type: str) -> Callable[[StreamEvent], bool]:
    return lambda event: event.type == event_type


def _type_starts(prefix: str) -> Callable[[StreamEvent], bool]:
    return lambda event: event.type.startswith(prefix)


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
        self._subscription: Subscription | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_requested = False

    # -- handlers ----------------------------------------------------------------------

    @property
    def router(self) -> Any:
        return self._router

    def _add(self, matcher: Callable[[StreamEvent], bool], handler: Any, transform: Any = None) -> None:
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
        return self.on(_type_is(event_type))

    def on_event_prefix(self, prefix: str) -> Callable[[H], H]:
        """Handle events whose type starts with ``prefix`` (``app_server.item.``)."""
        return self.on(_type_starts(prefix))

    def on_app_server(self, normalized_method: str) -> Callable[[H], H]:
        """Handle a runtime notification as an :class:`AppServerSignal` (``"item.started"``)."""
        event_type = f"app_server.{normalized_method.strip('.')}"

        def decorator(handler: H) -> H:
            self._add(_type_is(event_type), handler, AppServerSignal.from_stream_event)
            return handler

        return decorator

    def on_app_server_request(self, normalized_method: str) -> Callable[[H], H]:
        """Handle a runtime request (``"item.tool.call"``) as an :class:`AppServerSignal`."""
        event_type = f"app_server.request.{normalized_method.strip('.')}"

        def decorator(handler: H) -> H:
            self._add(_type_is(event_type), handler, AppServerSignal.from_stream_event)
            return handler

        return decorator

    def on_turn_started(self) -> Callable[[H], H]:
        """Handle ``app_server.turn.started`` events."""
        return self.on_event("app_server.turn.started")

    def on_resync(self) -> Callable[[H], H]:
        """Handle ``resync_required``: the bridge could not replay a gap (reload state)."""
        return self.on_event("resync_required")

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


class SyncEventStream:
    """``cm.stream`` for the sync client: the same handlers; ``run_forever`` blocks.

    Handlers may be plain functions (run in worker threads) or coroutine functions.
    ``start()`` runs the stream in a background thread instead; ``stop()`` ends it.
    """

    def __init__(self, async_stream: AsyncEventStream) -> None:
        self._async = async_stream
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def async_stream(self) -> AsyncEventStream:
        return self._async

    def on(self, matcher: Callable[[StreamEvent], bool]) -> Callable[[H], H]:
        return self._async.on(matcher)

    def on_event(self, event_type: str) -> Callable[[H], H]:
        return self._async.on_event(event_type)

    def on_event_prefix(self, prefix: str) -> Callable[[H], H]:
        return self._async.on_event_prefix(prefix)

    def on_app_server(self, normalized_method: str) -> Callable[[H], H]:
        return self._async.on_app_server(normalized_method)

    def on_app_server_request(self, normalized_method: str) -> Callable[[H], H]:
        return self._async.on_app_server_request(normalized_method)

    def on_turn_started(self) -> Callable[[H], H]:
        return self._async.on_turn_started()

    def on_resync(self) -> Callable[[H], H]:
        return self._async.on_resync()

    @property
    def last_seq(self) -> int:
        return self._async.last_seq

    @property
    def epoch(self) -> str | None:
        return self._async.epoch

    def run_forever(
        self,
        *,
        thread_id: str | None = None,
        thread_ids: Iterable[str] | None = None,
        since: int | None = None,
        families: Sequence[Family] | None = None,
    ) -> None:
        """Block, dispatching events to the handlers, until ``stop()`` (or Ctrl-C)."""
        asyncio.run(self._async.run_forever(thread_id=thread_id, thread_ids=thread_ids, since=since, families=families))

    def start(
        self,
        *,
        thread_id: str | None = None,
        thread_ids: Iterable[str] | None = None,
        since: int | None = None,
        families: Sequence[Family] | None = None,
        wait_connected_seconds: float | None = 10.0,
    ) -> SyncEventStream:
        """Run the stream in a background thread; returns once connected (or the wait ran out)."""
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("the stream is already running")
        self._error = None
        started = threading.Event()

        def run() -> None:
            async def main() -> None:
                task = asyncio.create_task(
                    self._async.run_forever(thread_id=thread_id, thread_ids=thread_ids, since=since, families=families)
                )
                started.set()
                await task

            try:
                asyncio.run(main())
            except BaseException as error:
                self._error = error
                started.set()

        self._thread = threading.Thread(target=run, name="codex-manager-stream", daemon=True)
        self._thread.start()
        started.wait()
        if wait_connected_seconds:
            import time

            deadline = time.monotonic() + wait_connected_seconds
            while time.monotonic() < deadline and self._thread.is_alive():
                sub = self._async._subscription
                if sub is not None and sub.connected.is_set():
                    break
                time.sleep(0.01)
        if self._error is not None:
            raise self._error
        return self

    def stop(self, timeout: float | None = 15.0) -> None:
        """Stop the stream; when it runs in the background, wait for the thread."""
        self._async.stop()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            self._thread = None

    def iter_events(
        self,
        *,
        thread_id: str | None = None,
        thread_ids: Iterable[str] | None = None,
        since: int | None = None,
        families: Sequence[str] | None = None,
        timeout_seconds: float | None = None,
    ) -> Iterator[StreamEvent]:
        """Iterate events in a plain loop (a background thread keeps the connection)."""
        import queue

        items: queue.Queue[Any] = queue.Queue()
        done = object()
        stop = threading.Event()
        holder: dict[str, Any] = {}

        def run() -> None:
            async def main() -> None:
                sub = self._async.subscription(
                    thread_id=thread_id, thread_ids=thread_ids, since=since, families=families
                )
                holder["sub"], holder["loop"] = sub, asyncio.get_running_loop()
                events = sub.__aiter__()
                try:
                    async for event in events:
                        items.put(event)
                        if stop.is_set():
                            break
                except Exception as error:
                    items.put(error)
                finally:
                    sub.close()
                    await events.aclose()  # type: ignore[attr-defined]
                    items.put(done)

            asyncio.run(main())

        thread = threading.Thread(target=run, name="codex-manager-stream-iter", daemon=True)
        thread.start()
        try:
            while True:
                try:
                    item = items.get(timeout=timeout_seconds)
                except queue.Empty:
                    from .errors import WaitTimeoutError

                    raise WaitTimeoutError(f"no stream event within {timeout_seconds}s") from None
                if item is done:
                    return
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            stop.set()
            loop, sub = holder.get("loop"), holder.get("sub")
            if loop is not None and sub is not None and not loop.is_closed():
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(sub.close)
            thread.join(5)
