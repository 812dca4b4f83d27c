"""Background jobs and agent extensions from Python, against the real bridge (demo model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codex_manager import CodexManager

from ..conftest import Bridge

pytestmark = pytest.mark.integration


def _client(bridge: Bridge, **kwargs: Any) -> CodexManager:
    return CodexManager(base_url=bridge.url, headers=bridge.headers, **kwargs)


def test_suggested_request_job_is_visible_and_cancelable(bridge: Bridge, workspace: Path) -> None:
    with _client(bridge) as cm:
        session_id = cm.sessions.create(cwd=str(workspace))["session"]["sessionId"]
        reply = cm.wait.send_message_and_wait_reply(session_id=session_id, text="hello")
        assert reply.status == "completed"

        suggestion = cm.sessions.suggest_request(session_id=session_id, draft="Write the docs")
        assert suggestion["status"] == "ok"
        assert suggestion["suggestion"] == "Write the docs, and add a test for it"

        queued = cm.sessions.suggest_request_enqueue(session_id=session_id, draft="slow please")
        assert queued["status"] == "queued"
        job = cm.orchestrator.get(job_id=queued["jobId"])["job"]
        assert job["type"] == "suggest_request"
        assert job["state"] in ("queued", "running")
        canceled = cm.orchestrator.cancel(job_id=queued["jobId"])
        assert canceled["job"]["state"] == "canceled"

        jobs = cm.orchestrator.list(project_id=queued["projectId"], state="canceled")["data"]
        assert [j["id"] for j in jobs] == [queued["jobId"]]
        typed = cm.typed.orchestrator.get(job_id=queued["jobId"])
        assert typed.job.state == "canceled"


def test_shipped_supervisor_is_listed(bridge: Bridge) -> None:
    with _client(bridge) as cm:
        listed = cm.extensions.list()
        supervisor = next(m for m in listed["modules"] if m["agentId"] == "supervisor")
        assert supervisor["isolation"] == "worker_thread"
        assert "suggest_request.requested" in supervisor["events"]
