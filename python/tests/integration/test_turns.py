"""Full turns against the real bridge and runtime: replies, approvals answered from Python."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from codex_manager import (
    AsyncCodexManager,
    CodexManager,
    ConflictError,
    NotFoundError,
    RequestCall,
    StreamContext,
    StreamEvent,
)

from ..conftest import Bridge

pytestmark = pytest.mark.integration


def _client(bridge: Bridge, **kwargs: Any) -> CodexManager:
    return CodexManager(base_url=bridge.url, headers=bridge.headers, **kwargs)


def test_send_message_and_wait_reply_returns_when_the_turn_completes(bridge: Bridge, workspace: Path) -> None:
    gets: list[str] = []
    with _client(bridge) as cm:

        @cm.after("sessions.get")
        def count(call: RequestCall, response: Any) -> None:
            gets.append(call.path)

        created = cm.sessions.create(cwd=str(workspace))
        session_id = created["session"]["sessionId"]
        started = time.monotonic()
        reply = cm.wait.send_message_and_wait_reply(session_id=session_id, text="hello", timeout_seconds=60)
        elapsed = time.monotonic() - started

    assert reply.session_id == session_id
    assert reply.status == "completed"
    assert "scripted offline answer" in reply.assistant_reply
    assert reply.turn_id == reply.accepted["turnId"]
    # Driven by the stream: one read of the session at the end, no polling loop.
    assert len(gets) == 1, gets
    assert elapsed < 30


def test_command_approval_answered_from_a_python_handler(bridge: Bridge, workspace: Path) -> None:
    seen: list[str] = []
    resolved = threading.Event()
    with _client(bridge) as cm:
        session_id = cm.sessions.create(cwd=str(workspace), filesystem_sandbox="read-only")["session"]["sessionId"]

        @cm.on_event("approval")
        def approve(event: StreamEvent, context: StreamContext) -> None:
            payload = event.payload
            seen.append(payload["method"])
            cm.approvals.decide(approval_id=payload["approvalId"], decision="accept")

        @cm.on_event("approval_resolved")
        def done(event: StreamEvent, context: StreamContext) -> None:
            resolved.set()

        cm.stream.start(thread_id=session_id)
        try:
            reply = cm.wait.send_message_and_wait_reply(
                session_id=session_id, text="run command: echo approved-from-python > out.txt", timeout_seconds=90
            )
        finally:
            cm.stream.stop()
        assert resolved.wait(5)
        detail = cm.sessions.get(session_id=session_id)
        approvals = cm.sessions.approvals(session_id=session_id)

    assert seen == ["item/commandExecution/requestApproval"]
    assert reply.status == "completed"
    assert (workspace / "out.txt").read_text().strip() == "approved-from-python"
    assert approvals["data"] == []
    kinds = [entry.get("type") for entry in detail["transcript"]]
    assert "commandExecution" in kinds


def test_file_change_approval_declined_and_a_second_decision_conflicts(bridge: Bridge, workspace: Path) -> None:
    with _client(bridge) as cm:
        session = cm.session(
            cm.sessions.create(cwd=str(workspace), filesystem_sandbox="read-only")["session"]["sessionId"]
        )
        decided: list[Any] = []
        conflicts: list[ConflictError] = []

        @cm.on_event("approval")
        def decline(event: StreamEvent, context: StreamContext) -> None:
            approval_id = event.payload["approvalId"]
            decided.append(session.approvals.decide(approval_id, "decline"))
            try:
                cm.approvals.decide(approval_id=approval_id, decision="accept", allow_statuses=())
            except ConflictError as error:
                conflicts.append(error)

        cm.stream.start(thread_id=session.session_id, families=["bridge"])
        try:
            reply = session.wait_reply("patch a.txt: old line => new line", timeout_seconds=90)
        finally:
            cm.stream.stop()

    assert reply.status == "completed"
    assert (workspace / "a.txt").read_text() == "old line\n"
    assert decided and decided[0]["status"] == "ok"
    assert len(conflicts) == 1 and conflicts[0].status == 409


def test_async_turn_with_approval_and_user_input(bridge: Bridge, workspace: Path) -> None:
    async def main() -> tuple[Any, Any, list[str]]:
        async with AsyncCodexManager(base_url=bridge.url, headers=bridge.headers) as acm:
            created = await acm.sessions.create(cwd=str(workspace), filesystem_sandbox="read-only")
            session_id = created["session"]["sessionId"]
            handled: list[str] = []

            @acm.on_event("approval")
            async def approve(event: StreamEvent, context: StreamContext) -> None:
                handled.append("approval")
                await acm.approvals.decide(approval_id=event.payload["approvalId"], decision="accept")

            @acm.on_event("tool_user_input_requested")
            async def answer(event: StreamEvent, context: StreamContext) -> None:
                handled.append("input")
                question = event.payload["questions"][0]
                await acm.tool_input.decide(
                    request_id=event.payload["requestId"],
                    decision="accept",
                    answers={question["id"]: {"answers": ["Beta"]}},
                )

            runner = asyncio.create_task(acm.stream.run_forever(thread_id=session_id))
            await acm.stream.wait_connected(10)
            first = await acm.wait.send_message_and_wait_reply(
                session_id=session_id, text="run command: echo async > async.txt", timeout_seconds=90
            )
            second = await acm.wait.send_message_and_wait_reply(
                session_id=session_id, text="ask me which one?", collaboration_mode="plan", timeout_seconds=90
            )
            acm.stream.stop()
            await asyncio.wait_for(runner, 15)
            return first, second, handled

    first, second, handled = asyncio.run(main())
    assert first.status == "completed"
    assert (workspace / "async.txt").read_text().strip() == "async"
    assert "Beta" in second.assistant_reply
    assert handled == ["approval", "input"]


def test_errors_map_to_classes_and_allow_statuses(bridge: Bridge) -> None:
    with _client(bridge) as cm:
        # As in codex-manager, a session nobody knows has nothing pending.
        assert cm.sessions.approvals(session_id="no-such-session") == {"data": []}
        with pytest.raises(NotFoundError) as raised:
            cm.sessions.get(session_id="no-such-session")
        assert raised.value.status == 404
        assert raised.value.code == "not_found"
        # sessions.get answers 410 bodies by default (codex-manager compatible) but raises 404.
        body = cm.sessions.interrupt(session_id="no-such-session")
        assert body["status"] == "not_found"
        with pytest.raises(NotFoundError):
            cm.sessions.interrupt(session_id="no-such-session", allow_statuses=())
        assert cm.raw.request("GET", "/api/sessions/nope", allow_statuses=(404,))["status"] == "not_found"
