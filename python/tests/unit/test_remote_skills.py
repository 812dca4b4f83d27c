"""Remote skills without a bridge: registration rules and exactly-once answers."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest

from codex_manager import CodexManager, RemoteSkillSession
from codex_manager.models import AppServerSignal, StreamEvent

BASE = "http://bridge.test"
PENDING = {
    "requestId": "tool_1",
    "method": "item/tool/call",
    "threadId": "s1",
    "turnId": "t1",
    "itemId": "call_1",
    "callId": "call_1",
    "tool": "add",
    "arguments": {"a": 2, "b": 3},
    "summary": "Tool call: add",
    "details": {},
    "createdAt": "2026-01-01T00:00:00Z",
    "status": "pending",
}


class FakeBridge:
    def __init__(self, answers: list[tuple[int, dict[str, Any]]] | None = None) -> None:
        self.responses: list[dict[str, Any]] = []
        self.answers = answers or []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/sessions" and request.method == "POST":
            body = json.loads(request.content)
            return httpx.Response(200, json={"session": {"sessionId": "s1"}, "thread": {"id": "s1"}, "echo": body})
        if path.endswith("/tool-calls") and request.method == "GET":
            return httpx.Response(200, json={"data": [PENDING]})
        if path.startswith("/api/tool-calls/"):
            with self.lock:
                self.responses.append(json.loads(request.content))
                if self.answers:
                    status, body = self.answers.pop(0)
                    return httpx.Response(status, json=body)
            return httpx.Response(200, json={"status": "ok", "requestId": "tool_1", "threadId": "s1"})
        if path == "/api/sessions/s1" and request.method == "DELETE":
            return httpx.Response(200, json={"status": "deleted", "sessionId": "s1", "title": None, "deletedAt": "x"})
        return httpx.Response(404, json={"status": "not_found"})


def client(bridge: FakeBridge) -> CodexManager:
    return CodexManager(base_url=BASE, http_client=httpx.Client(base_url=BASE, transport=httpx.MockTransport(bridge)))


def make_session(cm: CodexManager, calls: list[Any], delay: float = 0.0) -> tuple[Any, RemoteSkillSession]:
    def register(skills: RemoteSkillSession) -> None:
        @skills.skill()
        def add(a: int, b: int) -> int:
            """Add."""
            time.sleep(delay)
            calls.append((a, b))
            return a + b

    return cm.remote_skills.create_session(register=register, cwd="/w")


def test_tools_are_declared_at_creation_and_the_catalog_is_then_fixed() -> None:
    bridge = FakeBridge()
    cm = client(bridge)
    created, skills = make_session(cm, [])
    declared = created["echo"]["dynamicTools"]
    assert [t["name"] for t in declared] == ["add"]
    assert declared[0]["inputSchema"]["required"] == ["a", "b"]
    assert created["echo"]["cwd"] == "/w"
    with pytest.raises(RuntimeError, match="declared when the session is created"):
        skills.register("late", lambda: None)
    with pytest.raises(RuntimeError):
        cm.remote_skills.session("s1").register("late", lambda: None)
    assert [s.name for s in cm.remote_skills.session("s1").list()] == ["add"]
    assert "add: Add." in skills.instruction_text()
    cm.close()


def test_a_call_is_answered_once_even_when_seen_twice() -> None:
    bridge = FakeBridge()
    cm = client(bridge)
    calls: list[Any] = []
    _, skills = make_session(cm, calls)
    first = skills.drain_pending_calls()
    second = skills.drain_pending_calls()  # the bridge still lists it (a race): not run again
    event = StreamEvent("tool_call_requested", "s1", PENDING, seq=9)
    third = skills.respond_to_event(event)
    assert calls == [(2, 3)]
    assert len(bridge.responses) == 1
    assert bridge.responses[0] == {"success": True, "contentItems": [{"type": "inputText", "text": "5"}]}
    assert first[0].handled and first[0].submission_status == "ok"
    assert second[0].submission_status == "local_duplicate"
    assert third is not None and third.submission_status == "local_duplicate"
    cm.close()


def test_concurrent_deliveries_run_the_handler_once() -> None:
    bridge = FakeBridge()
    cm = client(bridge)
    calls: list[Any] = []
    _, skills = make_session(cm, calls, delay=0.2)
    results: list[Any] = []
    threads = [
        threading.Thread(target=lambda: results.append(skills.respond_to_pending_call(PENDING))) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [(2, 3)]
    assert sorted(r.submission_status for r in results) == ["in_flight", "in_flight", "ok"]
    cm.close()


def test_answers_the_bridge_already_has_count_as_done_and_errors_are_retried() -> None:
    reconciled = {
        "status": "reconciled",
        "requestId": "tool_1",
        "threadId": "s1",
        "code": "already_resolved",
        "message": "answered by another client",
    }
    bridge = FakeBridge(answers=[(409, reconciled)])
    cm = client(bridge)
    _, skills = make_session(cm, [])
    done = skills.respond_to_pending_call(PENDING)
    assert done is not None and done.handled and done.submission_idempotent
    assert done.submission_code == "already_resolved"
    cm.close()

    flaky = FakeBridge(answers=[(503, {"status": "error", "code": "runtime_unavailable", "message": "x"})])
    cm = client(flaky)
    _, skills = make_session(cm, [])
    ok = skills.respond_to_pending_call(PENDING)
    assert ok is not None and ok.submission_status == "ok" and ok.submission_attempts == 2
    cm.close()


def test_signals_of_other_sessions_are_ignored_and_signals_are_answered() -> None:
    bridge = FakeBridge()
    cm = client(bridge)
    calls: list[Any] = []
    _, skills = make_session(cm, calls)
    signal = AppServerSignal(
        event_type="app_server.request.item.tool.call",
        method="item/tool/call",
        signal_type="request",
        received_at=None,
        context={"threadId": "other", "turnId": "t"},
        params={"tool": "add", "arguments": {"a": 1, "b": 1}},
        session=None,
        request_id="tool_9",
    )
    assert skills.respond_to_signal(signal) is None
    signal.context["threadId"] = "s1"
    answered = skills.respond_to_signal(signal)
    assert answered is not None and answered.result == 2
    assert calls == [(1, 1)]
    unknown = skills.dispatch_tool_call(tool="nope", arguments={})
    assert unknown.handled is False and unknown.response_payload["success"] is False  # type: ignore[index]
    cm.close()


def test_lifecycle_deletes_the_session() -> None:
    bridge = FakeBridge()
    cm = client(bridge)
    with cm.remote_skills.lifecycle(register=lambda s: None) as life:
        assert life.session_id == "s1"
    cm.close()


def test_listener_drains_pending_calls_on_every_reconnect() -> None:
    """A call that shows up only in the pending list (its event was never received) is
    answered when the stream reconnects."""
    import asyncio

    from codex_manager import AsyncCodexManager

    from .test_stream import fake_bridge

    async def main() -> tuple[list[Any], list[Any], int]:
        async with fake_bridge() as ws_bridge:
            state = {"pending": False}
            answered: list[Any] = []

            def http(request: httpx.Request) -> httpx.Response:
                if request.url.path == "/api/sessions" and request.method == "POST":
                    return httpx.Response(200, json={"session": {"sessionId": "s1"}, "thread": {"id": "s1"}})
                if request.url.path.endswith("/tool-calls"):
                    return httpx.Response(200, json={"data": [PENDING] if state["pending"] else []})
                if request.url.path.startswith("/api/tool-calls/"):
                    answered.append(json.loads(request.content))
                    state["pending"] = False
                    return httpx.Response(200, json={"status": "ok", "requestId": "tool_1", "threadId": "s1"})
                return httpx.Response(404, json={"status": "not_found"})

            transport = httpx.MockTransport(http)
            acm = AsyncCodexManager(
                base_url=ws_bridge.url, http_client=httpx.AsyncClient(base_url=ws_bridge.url, transport=transport)
            )
            calls: list[Any] = []

            def register(skills: Any) -> None:
                @skills.skill()
                def add(a: int, b: int) -> int:
                    calls.append((a, b))
                    return a + b

            _, skills = await acm.remote_skills.create_session(register=register)
            async with skills.listen() as listener:
                ws_bridge.down = True
                await ws_bridge.drop_all()
                state["pending"] = True  # raised while we were away; its event is not replayed
                ws_bridge.down = False
                for _ in range(200):
                    if answered:
                        break
                    await asyncio.sleep(0.02)
                reconnects = listener.reconnects
            await acm.close()
            return calls, answered, reconnects

    calls, answered, reconnects = asyncio.run(main())
    assert reconnects >= 1
    assert calls == [(2, 3)]
    assert answered == [{"success": True, "contentItems": [{"type": "inputText", "text": "5"}]}]
