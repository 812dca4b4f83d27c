"""Stream client against a small in-process WebSocket server speaking the bridge's protocol:
reconnect with replay, de-duplication, bridge restarts, resync, handler dispatch."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from codex_manager import (
    AsyncEventStream,
    AuthError,
    EventRouter,
    StreamContext,
    StreamEvent,
    SyncEventStream,
    WaitTimeoutError,
)
from codex_manager.models import AppServerSignal


class FakeBridge:
    """Just enough of /api/stream: ready, replay since a seq, resync_required, live events."""

    def __init__(self, max_events: int = 1000) -> None:
        self.epoch = "epoch-1"
        self.events: list[dict[str, Any]] = []
        self.max_events = max_events
        self.connections: list[ServerConnection] = []
        self.urls: list[str] = []
        self.server: Server | None = None
        self.reject_status: int | None = None
        self.down = False

    @property
    def last_seq(self) -> int:
        return self.events[-1]["seq"] if self.events else 0

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = next(iter(self.server.sockets)).getsockname()[:2]
        return f"http://{host}:{port}"

    def _frame(self, event: dict[str, Any]) -> str:
        return json.dumps({**event, "epoch": self.epoch})

    async def publish(self, type_: str, payload: Any = None, thread_id: str | None = "t1", frames: int = 1) -> int:
        seq = self.last_seq + 1
        for i in range(frames):
            event = {
                "type": type_ if i == 0 else f"{type_}.alias{i}",
                "threadId": thread_id,
                "seq": seq,
                "payload": payload,
            }
            self.events.append(event)
            for ws in list(self.connections):
                try:
                    await ws.send(self._frame(event))
                except Exception:
                    pass
        del self.events[: max(0, len(self.events) - self.max_events)]
        return seq

    def restart(self) -> None:
        self.epoch = f"epoch-{int(self.epoch.split('-')[1]) + 1}"
        self.events = []

    async def drop_all(self) -> None:
        for ws in list(self.connections):
            ws.transport.abort()
        self.connections.clear()
        await asyncio.sleep(0.05)

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if self.reject_status:
            return connection.respond(self.reject_status, "missing or wrong bearer token\n")
        if self.down:
            return connection.respond(503, "restarting\n")
        return None

    async def _handler(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        self.urls.append(ws.request.path)
        query = parse_qs(urlsplit(ws.request.path).query)
        await ws.send(json.dumps({"type": "ready", "threadId": None, "epoch": self.epoch, "lastSeq": self.last_seq}))
        since = int(query["since"][0]) if "since" in query else None
        if since is not None:
            oldest = self.events[0]["seq"] if self.events else self.last_seq + 1
            if since + 1 < oldest and since < self.last_seq:
                await ws.send(
                    json.dumps(
                        {"type": "resync_required", "since": since, "oldestSeq": oldest, "lastSeq": self.last_seq}
                    )
                )
            else:
                replay = [e for e in self.events if e["seq"] > since]
                for e in replay:
                    await ws.send(self._frame(e))
                await ws.send(
                    json.dumps({"type": "replayed", "since": since, "count": len(replay), "lastSeq": self.last_seq})
                )
        self.connections.append(ws)
        try:
            async for message in ws:
                if json.loads(message).get("type") == "ping":
                    await ws.send(json.dumps({"type": "pong", "lastSeq": self.last_seq}))
        except Exception:
            pass
        finally:
            if ws in self.connections:
                self.connections.remove(ws)


@asynccontextmanager
async def fake_bridge(**kwargs: Any) -> AsyncIterator[FakeBridge]:
    bridge = FakeBridge(**kwargs)
    async with serve(bridge._handler, "127.0.0.1", 0, process_request=bridge._process_request) as server:
        bridge.server = server
        yield bridge


def stream_for(bridge: FakeBridge, **kwargs: Any) -> AsyncEventStream:
    return AsyncEventStream(base_url=bridge.url, reconnect_base_seconds=0.01, reconnect_max_seconds=0.05, **kwargs)


async def collect(sub: Any, events: list[StreamEvent], until: int) -> None:
    async for event in sub:
        events.append(event)
        if len(events) >= until:
            return


def test_reconnect_replays_the_gap_without_duplicates() -> None:
    async def main() -> tuple[list[StreamEvent], list[str], int]:
        async with fake_bridge() as bridge:
            for i in range(3):
                await bridge.publish("notification", {"i": i}, frames=2)
            sub = stream_for(bridge).subscription(thread_id="t1", since=0)
            events: list[StreamEvent] = []
            consumer = asyncio.create_task(collect(sub, events, 12))
            await asyncio.wait_for(sub.connected.wait(), 5)
            while len(events) < 6:
                await asyncio.sleep(0.01)
            bridge.down = True
            await bridge.drop_all()
            for i in range(3, 6):  # published while the client is away
                await bridge.publish("notification", {"i": i}, frames=2)
            bridge.down = False
            await asyncio.wait_for(consumer, 5)
            sub.close()
            return events, bridge.urls, sub.reconnects

    events, urls, reconnects = asyncio.run(main())
    assert reconnects == 1
    assert "since=0" in urls[0]
    assert "since=2" in urls[1]  # one before the last seq seen, for partially received seqs
    pairs = [(e.seq, e.type) for e in events]
    assert len(pairs) == len(set(pairs)) == 12
    assert [p[0] for p in pairs] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
    assert all(e.epoch == "epoch-1" for e in events)


def test_live_only_subscription_resumes_from_the_ready_seq() -> None:
    async def main() -> tuple[list[int | None], list[str]]:
        async with fake_bridge() as bridge:
            await bridge.publish("old")
            sub = stream_for(bridge).subscription()
            events: list[StreamEvent] = []
            consumer = asyncio.create_task(collect(sub, events, 2))
            await asyncio.wait_for(sub.connected.wait(), 5)
            bridge.down = True
            await bridge.drop_all()
            await bridge.publish("missed")
            bridge.down = False
            await bridge.publish("live")
            await asyncio.wait_for(consumer, 5)
            sub.close()
            return [e.seq for e in events], bridge.urls

    seqs, urls = asyncio.run(main())
    assert "since" not in urls[0]
    assert "since=1" in urls[1]  # from the seq the ready frame gave
    assert seqs == [2, 3]


def test_bridge_restart_replays_the_new_epoch_from_its_start() -> None:
    async def main() -> list[tuple[str | None, int | None]]:
        async with fake_bridge() as bridge:
            sub = stream_for(bridge).subscription(since=0)
            events: list[StreamEvent] = []
            consumer = asyncio.create_task(collect(sub, events, 5))
            await asyncio.wait_for(sub.connected.wait(), 5)
            for _ in range(3):
                await bridge.publish("a")
            while len(events) < 3:
                await asyncio.sleep(0.01)
            bridge.restart()
            bridge.down = True
            await bridge.drop_all()
            await bridge.publish("b")
            bridge.down = False
            await bridge.publish("b")
            await asyncio.wait_for(consumer, 5)
            sub.close()
            return [(e.epoch, e.seq) for e in events]

    seen = asyncio.run(main())
    assert seen == [("epoch-1", 1), ("epoch-1", 2), ("epoch-1", 3), ("epoch-2", 1), ("epoch-2", 2)]


def test_resync_required_is_handed_out_when_the_gap_is_gone() -> None:
    async def main() -> list[str]:
        async with fake_bridge(max_events=2) as bridge:
            sub = stream_for(bridge).subscription(since=0)
            events: list[StreamEvent] = []
            consumer = asyncio.create_task(collect(sub, events, 3))
            await asyncio.wait_for(sub.connected.wait(), 5)
            await bridge.publish("first")
            while not events:
                await asyncio.sleep(0.01)
            bridge.down = True
            await bridge.drop_all()
            for _ in range(5):
                await bridge.publish("lost")
            bridge.down = False
            while len(events) < 2:
                await asyncio.sleep(0.01)
            await bridge.publish("after")
            await asyncio.wait_for(consumer, 5)
            sub.close()
            return [e.type for e in events]

    assert asyncio.run(main()) == ["first", "resync_required", "after"]


def test_auth_failure_is_not_retried() -> None:
    async def main() -> None:
        async with fake_bridge() as bridge:
            bridge.reject_status = 401
            async for _ in stream_for(bridge).events():
                pass

    with pytest.raises(AuthError) as raised:
        asyncio.run(main())
    assert raised.value.status == 401


def test_a_slow_handler_does_not_delay_others_or_lose_events() -> None:
    async def main() -> tuple[list[int], list[int], float, float]:
        async with fake_bridge() as bridge:
            stream = stream_for(bridge)
            slow: list[int] = []
            fast: list[int] = []
            fast_done = asyncio.Event()
            times: dict[str, float] = {}

            @stream.on_event("tick")
            def slow_handler(event: StreamEvent, context: StreamContext) -> None:
                time.sleep(0.02)  # blocking, in a worker thread
                slow.append(event.payload)

            @stream.on_event("tick")
            async def fast_handler(event: StreamEvent, context: StreamContext) -> None:
                fast.append(event.payload)
                if len(fast) == 30:
                    times["fast"] = time.monotonic()
                    fast_done.set()

            @stream.on_event("tick")
            def broken(event: StreamEvent, context: StreamContext) -> None:
                raise RuntimeError("handler bug")

            runner = asyncio.create_task(stream.run_forever())
            await stream.wait_connected(5)
            for i in range(30):
                await bridge.publish("tick", i)
            await asyncio.wait_for(fast_done.wait(), 5)
            while len(slow) < 30:
                await asyncio.sleep(0.01)
            times["slow"] = time.monotonic()
            stream.stop()
            await asyncio.wait_for(runner, 5)
            return slow, fast, times["fast"], times["slow"]

    slow, fast, fast_at, slow_at = asyncio.run(main())
    assert fast == list(range(30))
    assert slow == list(range(30))  # in order, none dropped
    assert slow_at - fast_at > 0.3  # the fast handler did not wait for the slow one


def test_app_server_decorators_and_custom_router() -> None:
    class Router:
        def __init__(self) -> None:
            self.routes: list[Any] = []
            self.dispatched: list[str] = []

        def add(self, matcher: Any, handler: Any) -> None:
            self.routes.append((matcher, handler))

        async def dispatch(self, event: StreamEvent, context: StreamContext) -> None:
            self.dispatched.append(event.type)
            for matcher, handler in self.routes:
                if matcher(event):
                    result = handler(event, context)
                    if asyncio.iscoroutine(result):
                        await result

    async def main() -> tuple[list[Any], Router]:
        async with fake_bridge() as bridge:
            router = Router()
            stream = stream_for(bridge, router=router)
            got: list[Any] = []

            @stream.on_app_server_request("item.tool.call")
            def tool(signal: AppServerSignal, context: StreamContext) -> None:
                got.append((signal.request_id, signal.params["tool"], signal.turn_id))
                context.stream.stop()

            runner = asyncio.create_task(stream.run_forever(thread_id="t1"))
            await stream.wait_connected(5)
            await bridge.publish("app_server.item.started", {"method": "item/started"})
            payload = {
                "signalType": "request",
                "method": "item/tool/call",
                "context": {"threadId": "t1", "turnId": "turn-1"},
                "params": {"tool": "add"},
                "requestId": "tool_1",
            }
            await bridge.publish("app_server.request.item.tool.call", payload)
            await asyncio.wait_for(runner, 5)
            return got, router

    got, router = asyncio.run(main())
    assert got == [("tool_1", "add", "turn-1")]
    assert router.dispatched == ["app_server.item.started", "app_server.request.item.tool.call"]


def test_sync_stream_in_the_background_and_iter_events() -> None:
    ready = threading.Event()
    box: dict[str, Any] = {}

    def serve_in_thread() -> None:
        async def main() -> None:
            async with fake_bridge() as bridge:
                box["bridge"], box["loop"] = bridge, asyncio.get_running_loop()
                box["stop"] = asyncio.Event()
                ready.set()
                await box["stop"].wait()

        asyncio.run(main())

    thread = threading.Thread(target=serve_in_thread, daemon=True)
    thread.start()
    assert ready.wait(5)
    bridge: FakeBridge = box["bridge"]
    loop: asyncio.AbstractEventLoop = box["loop"]

    def publish(type_: str, payload: Any) -> None:
        asyncio.run_coroutine_threadsafe(bridge.publish(type_, payload), loop).result(5)

    try:
        stream = SyncEventStream(stream_for(bridge))
        got: list[Any] = []
        done = threading.Event()

        @stream.on_event("approval")
        def on_approval(event: StreamEvent, context: StreamContext) -> None:
            got.append(event.payload)
            if len(got) == 2:
                done.set()

        stream.start()
        publish("approval", 1)
        publish("approval", 2)
        assert done.wait(5)
        stream.stop()
        assert got == [1, 2]

        publish("x", "old")
        iterator = stream.iter_events(since=0, timeout_seconds=5)
        assert [next(iterator).type for _ in range(3)] == ["approval", "approval", "x"]
        iterator.close()  # type: ignore[attr-defined]
        quiet = stream.iter_events(timeout_seconds=0.3)
        with pytest.raises(WaitTimeoutError):
            next(quiet)
    finally:
        loop.call_soon_threadsafe(box["stop"].set)
        thread.join(5)


def test_event_router_is_usable_on_its_own() -> None:
    async def main() -> list[int]:
        router = EventRouter()
        out: list[int] = []
        router.add(lambda e: e.type == "n", lambda e, c: out.append(e.payload))
        ctx = StreamContext(thread_id=None, reconnect_count=0)
        for i in range(5):
            await router.dispatch(StreamEvent("n", None, i, seq=i), ctx)
        await router.dispatch(StreamEvent("other", None, 99), ctx)
        assert await router.drain(5)
        await router.aclose()
        return out

    assert asyncio.run(main()) == [0, 1, 2, 3, 4]


def test_run_forever_subscribes_to_the_families_its_handlers_use() -> None:
    async def families_asked(register: Any, **kwargs: Any) -> list[str] | None:
        async with fake_bridge() as bridge:
            stream = stream_for(bridge, **kwargs)
            register(stream)
            runner = asyncio.create_task(stream.run_forever(thread_id="t1"))
            await stream.wait_connected(5)
            stream.stop()
            await asyncio.wait_for(runner, 5)
            query = parse_qs(urlsplit(bridge.urls[0]).query)
            return query["families"][0].split(",") if "families" in query else None

    def signals_and_approvals(stream: AsyncEventStream) -> None:
        stream.on_app_server("turn.completed")(lambda signal, context: None)
        stream.on_event("approval")(lambda event, context: None)
        stream.on_resync()(lambda event, context: None)

    def with_a_custom_matcher(stream: AsyncEventStream) -> None:
        stream.on_event("notification")(lambda event, context: None)
        stream.on(lambda event: event.type.endswith("delta"))(lambda event, context: None)

    def aliases_only(stream: AsyncEventStream) -> None:
        stream.on_event("thread_token_usage_updated")(lambda event, context: None)
        stream.on_event_prefix("app_server.item.")(lambda event, context: None)

    assert asyncio.run(families_asked(signals_and_approvals)) == ["app_server", "bridge"]
    assert asyncio.run(families_asked(aliases_only)) == ["app_server", "alias"]
    assert asyncio.run(families_asked(with_a_custom_matcher)) is None, "a matcher we cannot read needs every family"
    explicit = asyncio.run(families_asked(signals_and_approvals, families=["notification"]))
    assert explicit == ["notification"], "families given by the caller win"
