"""SyncEventStream: ``cm.stream``, the sync client's stream running on a background event loop."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ..models import StreamEvent
from ._async import AsyncEventStream
from ._context import Family, H


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
                    from ..errors import WaitTimeoutError

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
