"""codex-manager's own CLI (apps/cli, run with tsx), unchanged, against the bridge.

It finds the bridge as a codex-manager user's CLI does: the profile "local" in
``$XDG_CONFIG_HOME/codex-manager/cli/config.json`` (base URL and bearer token). Each
command runs with ``--json`` and the envelope's status code and body are checked.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import CLI_DIR, REPO, eventually

TSX = REPO / "node_modules" / ".bin" / "tsx"


@pytest.fixture(scope="module")
def cli(client_env: dict[str, str]) -> Any:
    main = CLI_DIR / "src" / "main.ts"
    if not main.exists():
        pytest.fail(f"codex-manager's CLI is not installed at {CLI_DIR}: run scripts/test-compat.sh")

    def run(*args: str, ok: bool = True) -> dict[str, Any]:
        done = subprocess.run(
            [str(TSX), str(main), "--json", *args],
            cwd=str(CLI_DIR),
            env=client_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if ok:
            assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
            return dict(json.loads(done.stdout)["response"])
        return {"exit": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

    return run


def body(reply: dict[str, Any], status: int = 200) -> Any:
    assert reply["statusCode"] == status, reply
    return reply["body"]


def test_system_and_catalog_groups(cli: Any) -> None:
    assert body(cli("system", "health"))["status"] == "ok"
    assert body(cli("system", "info"))["name"] == "Codex Manager API"
    assert body(cli("system", "capabilities"))["status"] == "ok"
    assert isinstance(body(cli("system", "features", "list"))["data"], list)
    assert isinstance(body(cli("models", "list"))["data"], list)
    assert isinstance(body(cli("skills", "list"))["data"], list)
    assert isinstance(body(cli("mcp", "servers", "list"))["data"], list)
    assert "config" in body(cli("config", "get"))
    assert "requiresOpenaiAuth" in body(cli("account", "get"))
    assert "local" in cli("profile", "list", ok=False)["stdout"], "the profile the suite wrote"


def test_sessions_group(cli: Any, workspace: Path) -> None:
    session_id = body(cli("sessions", "create", "--cwd", str(workspace)))["session"]["sessionId"]
    listed = body(cli("sessions", "list", "--include-system-owned", "true"))
    assert any(s["sessionId"] == session_id for s in listed["data"])
    assert (
        body(cli("sessions", "rename", "--session-id", session_id, "--title", "From the CLI"))["session"]["title"]
        == "From the CLI"
    )
    assert body(cli("sessions", "interrupt", "--session-id", session_id), 409)["status"] == "no_active_turn"
    sent = body(cli("sessions", "send", "--session-id", session_id, "--text", "hello"), 202)
    assert sent["status"] == "accepted"
    eventually(
        lambda: body(cli("sessions", "get", "--session-id", session_id))["transcript"][-1]["status"] == "complete",
        timeout=90,
        interval=0.5,
    )
    assert body(cli("sessions", "archive", "--session-id", session_id))["status"] == "ok"
    assert body(cli("sessions", "unarchive", "--session-id", session_id))["thread"]["id"] == session_id
    assert body(cli("sessions", "resume", "--session-id", session_id))["thread"]["id"] == session_id
    assert body(cli("sessions", "fork", "--session-id", session_id))["sourceSessionId"] == session_id
    assert body(cli("sessions", "approvals", "list", "--session-id", session_id)) == {"data": []}
    assert body(cli("sessions", "tool-calls", "list", "--session-id", "no-such-session")) == {"data": []}
    deleted = body(cli("sessions", "delete", "--session-id", session_id))
    assert (deleted["status"], deleted["sessionId"]) == ("ok", session_id)
    assert body(cli("sessions", "get", "--session-id", session_id), 410)["status"] == "deleted"


def test_settings_and_controls_groups(cli: Any, workspace: Path) -> None:
    session_id = body(cli("sessions", "create", "--cwd", str(workspace)))["session"]["sessionId"]
    assert (
        body(cli("sessions", "controls", "get", "--session-id", session_id))["controls"]["filesystemSandbox"]
        == "read-only"
    )
    assert (
        body(
            cli(
                "sessions",
                "settings",
                "set",
                "--session-id",
                session_id,
                "--scope",
                "session",
                "--key",
                "team",
                "--value",
                '"blue"',
            )
        )["status"]
        == "ok"
    )
    got = body(cli("sessions", "settings", "get", "--session-id", session_id, "--key", "team"))
    assert got["value"] == "blue"
    assert (
        body(cli("sessions", "settings", "unset", "--session-id", session_id, "--scope", "session", "--key", "team"))[
            "status"
        ]
        == "ok"
    )
    assert (
        body(cli("sessions", "approval-policy", "set", "--session-id", session_id, "--approval-policy", "never"))[
            "status"
        ]
        == "ok"
    )


def test_projects_group(cli: Any, workspace: Path) -> None:
    project_id = body(cli("projects", "create", "--name", "CLI project"))["project"]["projectId"]
    assert any(p["projectId"] == project_id for p in body(cli("projects", "list"))["data"])
    assert (
        body(cli("projects", "rename", "--project-id", project_id, "--name", "CLI project 2"))["project"]["name"]
        == "CLI project 2"
    )
    session_id = body(cli("sessions", "create", "--cwd", str(workspace)))["session"]["sessionId"]
    assert (
        body(cli("sessions", "project", "set", "--session-id", session_id, "--project-id", project_id))["projectId"]
        == project_id
    )
    assert (
        body(cli("projects", "chats", "move-all", "--project-id", project_id, "--destination", "unassigned"))[
            "movedSessionCount"
        ]
        == 1
    )
    assert body(cli("projects", "delete", "--project-id", project_id))["status"] == "ok"


def test_approvals_and_stream_groups(cli: Any, workspace: Path) -> None:
    session_id = body(cli("sessions", "create", "--cwd", str(workspace)))["session"]["sessionId"]
    body(cli("sessions", "send", "--session-id", session_id, "--text", "patch a.txt: old line => new line"), 202)
    pending = eventually(
        lambda: body(cli("sessions", "approvals", "list", "--session-id", session_id))["data"], timeout=90, interval=0.5
    )
    decided = body(cli("approvals", "decide", "--approval-id", pending[0]["approvalId"], "--decision", "accept"))
    assert decided["status"] == "ok"
    eventually(lambda: (workspace / "a.txt").read_text() == "new line\n", timeout=90)
    events = cli("stream", "events", "--thread-id", session_id, "--jsonl", "--duration-ms", "1500", ok=False)
    assert events["exit"] == 0, events
    frames = [json.loads(line) for line in events["stdout"].splitlines() if line.startswith("{")]
    assert frames[0]["type"] == "ready", frames[:3]


def test_raw_api_group(cli: Any) -> None:
    reply = cli("api", "request", "--method", "GET", "--path", "/api/health")
    assert body(reply)["status"] == "ok"
