"""Python functions as dynamic tools, answered through the real bridge and runtime."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest

from codex_manager import AsyncCodexManager, CodexManager, RemoteSkillSession, ToolCall

from ..conftest import Bridge

pytestmark = pytest.mark.integration


@dataclass
class Point:
    x: int
    y: int


def register_tools(skills: RemoteSkillSession, calls: list[Any]) -> None:
    @skills.skill()
    def add(a: int, b: int = 1) -> int:
        """Add two integers.

        Args:
            a: The first addend.
            b: The second addend.
        """
        calls.append(("add", a, b))
        return a + b

    @skills.skill(name="describe_point")
    def describe(point: Point, unit: Literal["cm", "in"] = "cm", call: ToolCall | None = None) -> dict[str, Any]:
        """Describe a point."""
        calls.append(("describe", point, unit, call.request_id if call else None))
        return {"x": point.x, "y": point.y, "unit": unit, "session": call.session_id if call else None}


def test_dynamic_tool_answered_by_a_python_function(bridge: Bridge, workspace: Path) -> None:
    calls: list[Any] = []
    with CodexManager(base_url=bridge.url, headers=bridge.headers) as cm:
        with cm.remote_skills.lifecycle(register=lambda s: register_tools(s, calls), cwd=str(workspace)) as life:
            tools = {t["name"]: t for t in life.skills.dynamic_tools()}
            assert tools["add"]["inputSchema"] == {
                "type": "object",
                "properties": {
                    "a": {"type": "integer", "description": "The first addend."},
                    "b": {"type": "integer", "description": "The second addend.", "default": 1},
                },
                "additionalProperties": False,
                "required": ["a"],
                "description": "Add two integers.",
            }
            assert tools["add"]["description"] == "Add two integers."
            assert tools["describe_point"]["inputSchema"]["properties"]["point"]["required"] == ["x", "y"]

            result = life.skills.send_and_handle('use tool add {"a": 40, "b": 2}', timeout_seconds=90)
            assert result.status == "completed"
            assert result.assistant_reply is not None and "42" in result.assistant_reply
            assert [d.tool for d in result.dispatches] == ["add"]
            assert result.dispatches[0].handled and result.dispatches[0].submission_status == "ok"

            second = life.skills.send_and_handle(
                'use tool describe_point {"point": {"x": 3, "y": 4}, "unit": "in"}', timeout_seconds=90
            )
            assert second.status == "completed"
            answered = json.loads(second.dispatches[0].response_payload["contentItems"][0]["text"])  # type: ignore[index]
            assert answered == {"x": 3, "y": 4, "unit": "in", "session": life.session_id}
            # Nothing left pending; draining again answers nothing twice.
            assert life.skills.drain_pending_calls() == []
            session_id = life.session_id
        # lifecycle() deletes the session afterwards
        gone = cm.sessions.get(session_id=session_id)
        assert gone["status"] == "deleted"
    assert calls[0] == ("add", 40, 2)
    assert calls[1][0] == "describe" and calls[1][1] == Point(3, 4) and calls[1][2] == "in"
    assert len(calls) == 2


def test_pending_calls_are_drained_when_the_listener_connects(bridge: Bridge, workspace: Path) -> None:
    """A call raised while no Python listener was connected is answered on (re)connect."""
    calls: list[Any] = []
    with CodexManager(base_url=bridge.url, headers=bridge.headers) as cm:
        _, skills = cm.remote_skills.create_session(register=lambda s: register_tools(s, calls), cwd=str(workspace))
        accepted = skills.send('use tool add {"a": 1, "b": 1}')
        turn_id = accepted["turnId"]
        # Wait (no listener yet) until the call is pending in the bridge.
        cm.wait.until(
            lambda: cm.sessions.tool_calls(session_id=skills.session_id)["data"],
            timeout_seconds=60,
            description="a pending tool call",
        )
        with skills.listen() as listener:
            status = cm.wait.turn_status(
                session_id=skills.session_id, turn_id=turn_id, expected=["completed", "failed"], timeout_seconds=60
            )
        assert status == "completed"
        assert [d.tool for d in listener.dispatches] == ["add"]
        reply = cm.wait.assistant_reply(session_id=skills.session_id, turn_id=turn_id)
        assert "2" in reply.assistant_reply
        cm.remote_skills.close_session(skills.session_id, delete_session=True)
    assert calls == [("add", 1, 1)]


def test_async_dynamic_tool_with_async_handler(bridge: Bridge, workspace: Path) -> None:
    async def main() -> tuple[Any, list[str]]:
        seen: list[str] = []

        async def register(skills: Any) -> None:
            @skills.skill(description="Shout a word back.")
            async def shout(word: str) -> str:
                await asyncio.sleep(0.05)
                seen.append(word)
                return word.upper() + "!"

        async with (
            AsyncCodexManager(base_url=bridge.url, headers=bridge.headers) as acm,
            acm.remote_skills.lifecycle(register=register, cwd=str(workspace)) as life,
        ):
            result = await life.skills.send_and_handle('use tool shout {"word": "hey"}', timeout_seconds=90)
        return result, seen

    result, seen = asyncio.run(main())
    assert seen == ["hey"]
    assert result.status == "completed"
    assert result.assistant_reply is not None and "HEY!" in result.assistant_reply


def test_failing_tool_reports_the_error_to_the_model(bridge: Bridge, workspace: Path) -> None:
    def register(skills: RemoteSkillSession) -> None:
        @skills.skill()
        def explode() -> str:
            """Always fails."""
            raise RuntimeError("kaboom")

    with (
        CodexManager(base_url=bridge.url, headers=bridge.headers) as cm,
        cm.remote_skills.lifecycle(register=register, cwd=str(workspace)) as life,
    ):
        result = life.skills.send_and_handle("use tool explode", timeout_seconds=90)
    assert result.status == "completed"
    assert len(result.dispatches) == 1
    dispatch = result.dispatches[0]
    assert dispatch.handled is False and dispatch.submission_status == "ok"
    assert "kaboom" in (dispatch.error or "")
    assert result.assistant_reply is not None and "kaboom" in result.assistant_reply
