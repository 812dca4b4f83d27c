"""The typed facade and strict validation on real bridge responses (sync and async)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from codex_manager import AsyncCodexManager, CodexManager, TypedModelValidationError
from codex_manager._generated.operations import OPERATIONS
from codex_manager.typed import models as m

from ..conftest import Bridge

pytestmark = pytest.mark.integration


def test_typed_session_lifecycle_on_real_responses(bridge: Bridge, workspace: Path) -> None:
    with CodexManager(base_url=bridge.url, headers=bridge.headers, validation_mode="strict") as cm:
        t = cm.typed
        health = t.system.health()
        assert isinstance(health, m.HealthResponse) and health.status == "ok"
        info = t.system.info()
        assert isinstance(info, m.ApiInfo)

        created = t.sessions.create(cwd=str(workspace), filesystem_sandbox="read-only")
        assert isinstance(created, m.CreateSessionResponse200)
        session_id = created.session.session_id
        assert created.thread.id == session_id

        accepted = t.sessions.send_message(session_id=session_id, text="hello")
        assert isinstance(accepted, m.SendSessionMessageResponse202)
        reply = cm.wait.assistant_reply(session_id=session_id, turn_id=accepted.turn_id)
        assert reply.status == "completed"

        detail = t.sessions.get(session_id=session_id)
        assert isinstance(detail, m.ReadSessionResponse200)
        roles = [entry.role for entry in detail.transcript]
        assert "user" in roles and "assistant" in roles

        listed = t.sessions.list()
        assert any(s.session_id == session_id for s in listed.data)

        # A request body given as a model instance, and keyword fields with camelCase too.
        renamed = t.sessions.rename(m.RenameSessionBody(title="typed title"), session_id=session_id)
        assert renamed is not None
        assert t.sessions.get(session_id=session_id).session.title == "typed title"  # type: ignore[union-attr]

        settings = t.sessions.settings_set(session_id=session_id, key="py", value={"answer": 42})
        assert isinstance(settings, m.SessionSettingsSetResponse)
        got = t.sessions.settings_get(session_id=session_id, key="py")
        assert got is not None
        unset = t.sessions.settings_unset(session_id=session_id, key="py")
        assert isinstance(unset, m.SessionSettingsDeleteResponse)

        controls = t.sessions.controls_get(session_id=session_id)
        assert controls is not None
        assert t.sessions.approvals(session_id=session_id).data == []  # type: ignore[union-attr]
        assert t.sessions.tool_input(session_id=session_id).data == []  # type: ignore[union-attr]
        assert t.sessions.tool_calls(session_id=session_id).data == []  # type: ignore[union-attr]

        project = t.projects.create(name="typed-project", working_directory=str(workspace))
        project_id = project.project.project_id  # type: ignore[union-attr]
        assert any(p.project_id == project_id for p in t.projects.list().data)
        t.sessions.set_project(session_id=session_id, project_id=project_id)
        t.sessions.set_project(session_id=session_id, project_id=None)
        t.projects.delete(project_id=project_id)

        deleted = t.sessions.delete(session_id=session_id)
        assert deleted is not None
        gone = t.sessions.get(session_id=session_id)
        assert isinstance(gone, m.DeletedSessionPayload) and gone.status == "deleted"

        # Request validation happens before anything is sent.
        with pytest.raises(TypedModelValidationError) as raised:
            t.sessions.create(approval_policy="sometimes")  # type: ignore[arg-type]
        assert raised.value.boundary == "request"
        # validate=False hands back the raw JSON.
        raw = t.system.health(validate=False)
        assert isinstance(raw, dict) and raw["status"] == "ok"


def test_every_parameterless_read_parses_into_its_model(bridge: Bridge) -> None:
    """Each GET that needs no id: the typed facade parses whatever status the bridge answers."""
    checked: list[str] = []
    with CodexManager(base_url=bridge.url, headers=bridge.headers) as cm:
        for key, spec in OPERATIONS.items():
            if spec.method != "GET" or spec.path_params or spec.domain == "stream":
                continue
            domain, name = key.split(".")
            method = getattr(getattr(cm.typed, domain), name)
            result = method(allow_statuses=spec.statuses)
            assert result is not None, key
            assert type(result).__module__ == m.__name__, (key, type(result))
            checked.append(key)
    assert len(checked) >= 15, checked


def test_strict_mode_checks_plain_calls(bridge: Bridge, workspace: Path) -> None:
    with CodexManager(base_url=bridge.url, headers=bridge.headers, validation_mode="strict") as cm:
        created = cm.sessions.create(cwd=str(workspace))
        assert isinstance(created, dict)  # plain calls still return JSON
        session_id = created["session"]["sessionId"]
        cm.sessions.get(session_id=session_id)
        cm.sessions.controls_get(session_id=session_id)
        cm.sessions.list()
        cm.projects.list()
        cm.system.capabilities()


def test_async_typed_facade(bridge: Bridge, workspace: Path) -> None:
    async def main() -> tuple[Any, Any, Any]:
        async with AsyncCodexManager(base_url=bridge.url, headers=bridge.headers) as acm:
            created = await acm.typed.sessions.create(cwd=str(workspace))
            session_id = created.session.session_id
            reply = await acm.wait.send_message_and_wait_reply(session_id=session_id, text="hello")
            detail = await acm.typed.sessions.get(session_id=session_id)
            health = await acm.typed.system.health()
            return reply, detail, health

    reply, detail, health = asyncio.run(main())
    assert reply.status == "completed"
    assert isinstance(detail, m.ReadSessionResponse200)
    assert any(entry.content == reply.assistant_reply for entry in detail.transcript)
    assert isinstance(health, m.HealthResponse)


def test_validation_off_returns_raw_json(bridge: Bridge) -> None:
    with CodexManager(base_url=bridge.url, headers=bridge.headers, validation_mode="off") as cm:
        assert isinstance(cm.typed.system.health(), dict)
        assert isinstance(cm.typed.system.health(validate=True), m.HealthResponse)
