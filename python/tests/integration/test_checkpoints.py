"""Checkpoints from Python against the real bridge and runtime: list, diff, restore, conflict."""

from __future__ import annotations

from pathlib import Path

import pytest

from codex_manager import CodexManager, ConflictError

from ..conftest import Bridge

pytestmark = pytest.mark.integration

PATCH = "apply patch:\n*** Update File: a.txt\n@@\n-old line\n+new line\n*** Add File: made.txt\n+made by the turn"


def test_a_turn_is_listed_diffed_and_undone_and_an_outside_edit_is_a_conflict(bridge: Bridge, workspace: Path) -> None:
    with CodexManager(base_url=bridge.url, headers=bridge.headers) as cm:
        created = cm.sessions.create(cwd=str(workspace), filesystem_sandbox="workspace-write", approval_policy="never")
        session_id = created["session"]["sessionId"]
        reply = cm.wait.send_message_and_wait_reply(session_id=session_id, text=PATCH, timeout_seconds=60)
        assert reply.status == "completed"
        assert (workspace / "a.txt").read_text() == "new line\n"

        checkpoints = cm.sessions.checkpoints_list(session_id=session_id)["data"]
        assert [c["turnId"] for c in checkpoints] == [reply.turn_id]
        changes = sorted((Path(f["path"]).name, f["change"]) for f in checkpoints[0]["files"])
        assert changes == [("a.txt", "modified"), ("made.txt", "added")]

        diff = cm.sessions.checkpoints_diff(session_id=session_id, turn_id=reply.turn_id, path=str(workspace / "a.txt"))
        assert diff["files"][0]["before"] == "old line\n"
        assert "+new line" in diff["files"][0]["diff"]

        (workspace / "made.txt").write_text("edited by hand\n")
        with pytest.raises(ConflictError) as refused:
            cm.sessions.checkpoints_restore(session_id=session_id, turn_id=reply.turn_id)
        assert "made.txt" in str(refused.value)
        assert (workspace / "a.txt").read_text() == "new line\n"

        restored = cm.sessions.checkpoints_restore(session_id=session_id, turn_id=reply.turn_id, force=True)
        assert restored["status"] == "restored"
        assert (workspace / "a.txt").read_text() == "old line\n"
        assert not (workspace / "made.txt").exists()
