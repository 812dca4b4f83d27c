"""The event stream against the real bridge: reconnect with replay, families, discovery."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from codex_manager import AsyncCodexManager, CodexManager, StreamContext, StreamEvent

from ..conftest import Bridge

pytestmark = pytest.mark.integration


def _deltas(events: list[StreamEvent], turn_id: str) -> list[str]:
    out = []
    for e in events:
        if e.type == "notification" and e.method == "item/agentMessage/delta" and e.params.get("turnId") == turn_id:
            out.append(e.params["delta"])
    return out


def test_reconnect_replays_what_was_missed_without_duplicates(bridge: Bridge, workspace: Path) -> None:
    words = 400

    async def main() -> tuple[list[StreamEvent], str, int]:
        async with AsyncCodexManager(base_url=bridge.url, headers=bridge.headers) as acm:
            session_id = (await acm.sessions.create(cwd=str(workspace)))["session"]["sessionId"]
            sub = acm.stream.subscription(thread_id=session_id, families=["notification"])
            events: list[StreamEvent] = []
            turn: dict[str, str] = {}
            dropped = asyncio.Event()
            done = asyncio.Event()

            async def consume() -> None:
                async for event in sub:
                    events.append(event)
                    if event.method == "item/agentMessage/delta" and len(events) > 40 and not dropped.is_set():
                        # Kill the TCP connection mid-turn, as a network failure would.
                        dropped.set()
                        sub._ws.transport.abort()
                        # Let the turn run on while we are away.
                        await asyncio.sleep(0.3)
                    if event.method == "turn/completed" and event.params["turn"]["id"] == turn.get("id"):
                        done.set()
                        sub.close()

            consumer = asyncio.create_task(consume())
            await asyncio.wait_for(sub.connected.wait(), 10)
            accepted = await acm.sessions.send_message(session_id=session_id, text=f"stream {words} words")
            turn["id"] = accepted["turnId"]
            await asyncio.wait_for(done.wait(), 90)
            await asyncio.wait_for(consumer, 10)
            return events, turn["id"], sub.reconnects

    events, turn_id, reconnects = asyncio.run(main())
    assert reconnects >= 1
    deltas = _deltas(events, turn_id)
    expected = [f"w{i} " for i in range(1, words)] + [f"w{words}"]
    assert deltas == expected  # every delta exactly once, in order, across the reconnect
    seqs = [e.seq for e in events if e.seq is not None]
    assert len(seqs) == len(set(seqs))
    assert seqs == sorted(seqs)


def test_run_forever_with_since_replays_history_and_slow_handlers_do_not_block(bridge: Bridge, workspace: Path) -> None:
    with CodexManager(base_url=bridge.url, headers=bridge.headers) as cm:
        session_id = cm.sessions.create(cwd=str(workspace))["session"]["sessionId"]
        reply = cm.wait.send_message_and_wait_reply(session_id=session_id, text="stream 50 words")
        fast: list[float] = []
        slow: list[float] = []
        completed = threading.Event()

        @cm.stream.on_event_prefix("app_server.item.agent_message.delta")
        def slow_handler(event: StreamEvent, context: StreamContext) -> None:
            time.sleep(0.05)
            slow.append(time.monotonic())

        @cm.stream.on_app_server("turn.completed")
        def fast_handler(signal: Any, context: StreamContext) -> None:
            fast.append(time.monotonic())
            assert signal.context["turnId"] == reply.turn_id
            completed.set()

        # Replay the thread's whole history (since=0) through the handlers.
        cm.stream.start(thread_id=session_id, since=0, families=["app_server"])
        assert completed.wait(20)
        cm.stream.stop()
    # All 50 slow events were handled (none dropped), and the fast handler did not wait for them.
    assert len(slow) == 50
    assert fast[0] < slow[-1]


def test_client_finds_the_running_bridge_and_its_token(bridge: Bridge, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CODEX_MANAGER_API_BASE", "CODEX_MANAGER_BEARER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(bridge.runtime_dir))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(bridge.root / "no-config"))
    with CodexManager() as cm:
        assert cm.client_config.source == "discovery"
        assert cm.base_url == bridge.url
        assert cm.system.health()["status"] == "ok"
    with CodexManager.from_env() as cm:
        assert cm.system.health()["status"] == "ok"
    with CodexManager.from_profile() as cm:
        assert cm.system.health()["status"] == "ok"
    # An explicit URL of a registered bridge gets its token too.
    with CodexManager(base_url=bridge.url + "/") as cm:
        assert cm.sessions.list()["data"] is not None


def test_wrong_token_is_an_auth_error(bridge: Bridge) -> None:
    from codex_manager import AuthError

    with CodexManager(base_url=bridge.url, headers={"Authorization": "Bearer nope"}) as cm:
        with pytest.raises(AuthError) as raised:
            cm.sessions.list()
        assert raised.value.status == 401
        assert "token" in str(raised.value)

        async def connect() -> None:
            async for _ in cm.async_stream.events():
                break

        with pytest.raises(AuthError):
            asyncio.run(connect())
