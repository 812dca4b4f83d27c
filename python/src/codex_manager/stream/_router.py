"""EventRouter: dispatches events to handlers, one queue and worker per handler."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..models import StreamEvent
from ..protocols import StreamHandler, StreamMatcher
from ._context import StreamContext, _log


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
