"""Every Python example of codex-manager's docs (``docs/python/*.md``), run against the bridge
with codex-manager's client and again with ours.

What is adapted, and nothing else:
- the connection: ``from_profile("local")`` and ``from_env()`` find the bridge unchanged (the
  suite writes that profile and those variables); a bare ``CodexManager(...)`` constructor
  gets the bridge's URL and token added as keyword arguments;
- placeholders: ``"<session-id>"`` becomes a live session (with one finished turn, or a
  file-change approval pending for the approval recipes and the listeners, so they have
  something to decide or to hear) and ``/path/to/workspace`` a real directory;
- fragments (snippets that start from a ``cm`` and a ``session_id`` the page set up before)
  get that set-up prepended;
- examples that listen forever (``run_forever``) run for a few seconds while a turn happens
  in their session, then stop; they pass when nothing failed meanwhile.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import ANCHOR, eventually

DOCS = ANCHOR / "docs" / "python"
LISTEN_SECONDS = 8.0

#: Fragments that need an object only a live tool call gives (a stream signal); the same
#: calls run in test_python_client.test_remote_skills and practical-recipes.md#6.
NEEDS_LIVE_SIGNAL = {"remote-skills-dispatch-and-reliability.md#0"}

#: Where our SDK differs on purpose (docs/compatibility.md); empty: it runs every example.
OUR_SDK_DIFFERENCES: dict[str, str] = {}


def examples() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for page in sorted(DOCS.glob("*.md")):
        for index, match in enumerate(re.finditer(r"```python\n(.*?)```", page.read_text(), re.S)):
            found.append((f"{page.name}#{index}", match.group(1)))
    return found


EXAMPLES = examples()
CONSTRUCTOR = re.compile(r"(?<![\w.])((?:Async)?CodexManager)\(")

FRAGMENT_SETUP = """\
from codex_manager import CodexManager

cm = CodexManager.from_profile("local")
session_id = target_session_id = {session_id!r}
turn_id = {turn_id!r}
chat = cm.session(session_id)
"""


def adapt(code: str, *, session_id: str, turn_id: str, workspace: Path) -> str:
    code = CONSTRUCTOR.sub(r"\1(**_CONNECTION, ", code)
    code = code.replace('"<session-id>"', repr(session_id)).replace("/path/to/workspace", str(workspace))
    if not re.search(r"^(from|import) ", code, re.M):
        code = FRAGMENT_SETUP.format(session_id=session_id, turn_id=turn_id) + code
    connection = "import os as _os\n_CONNECTION = {'base_url': _os.environ['CODEX_MANAGER_API_BASE'], 'headers': {'Authorization': 'Bearer ' + _os.environ['CODEX_MANAGER_BEARER_TOKEN']}}\n"
    return connection + code


def prepare_session(bridge: Any, workspace: Path, *, pending_approval: bool) -> tuple[str, str]:
    """A session with one finished turn, or (for the approval recipes) one waiting for a
    file-change approval (read-only sandbox, codex-manager's default)."""
    text = "patch a.txt: old line => new line" if pending_approval else "hello"
    with httpx.Client(base_url=bridge.url, headers=bridge.headers, timeout=30) as http:
        session_id = http.post("/api/sessions", json={"cwd": str(workspace)}).json()["session"]["sessionId"]
        turn_id = http.post(f"/api/sessions/{session_id}/messages", json={"text": text}).json()["turnId"]
        if pending_approval:
            eventually(lambda: http.get(f"/api/sessions/{session_id}/approvals").json()["data"], timeout=90)
        else:
            eventually(
                lambda: http.get(f"/api/sessions/{session_id}").json()["session"]["activeTurnId"] is None, timeout=90
            )
    return session_id, turn_id


def run_example(example_id: str, code: str, python: str, env: dict[str, str], bridge: Any, workspace: Path) -> None:
    if example_id in NEEDS_LIVE_SIGNAL:
        pytest.skip("needs a live tool-call signal; the same calls run in test_remote_skills")
    listens = "run_forever" in code
    session_id, turn_id = prepare_session(bridge, workspace, pending_approval="approval" in code or listens)
    script = workspace / f"example_{re.sub(r'[^A-Za-z0-9]', '_', example_id)}.py"
    script.write_text(adapt(code, session_id=session_id, turn_id=turn_id, workspace=workspace))
    process = subprocess.Popen(
        [python, str(script)],
        cwd=str(workspace),
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if listens:
            # Let it connect, then make something happen in its session; stop it after a while.
            time.sleep(2.0)
            # A listener that starts slowly (imports on a busy machine) gets a second turn later.
            with httpx.Client(base_url=bridge.url, headers=bridge.headers, timeout=30) as http:
                for approval in http.get(f"/api/sessions/{session_id}/approvals").json()["data"]:
                    http.post(f"/api/approvals/{approval['approvalId']}/decision", json={"decision": "accept"})
                time.sleep(3.0)
                http.post(f"/api/sessions/{session_id}/messages", json={"text": "hello"})
            try:
                out, err = process.communicate(timeout=LISTEN_SECONDS)
            except subprocess.TimeoutExpired:
                process.terminate()
                out, err = process.communicate(timeout=10)
                assert "Traceback" not in err, f"{example_id} failed while listening:\n{err}\n{out}"
                if "<session-id>" in code:
                    # It listened to the session that just had activity: its handlers printed.
                    assert out.strip(), f"{example_id} heard nothing from its session:\n{err}"
                return
        else:
            out, err = process.communicate(timeout=150)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, f"{example_id} exited {process.returncode}:\n--- stdout\n{out}\n--- stderr\n{err}"


@pytest.mark.parametrize(("example_id", "code"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_with_codex_managers_client(
    example_id: str, code: str, client_env: dict[str, str], bridge: Any, workspace: Path
) -> None:
    run_example(example_id, code, sys.executable, client_env, bridge, workspace)


@pytest.mark.parametrize(("example_id", "code"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_with_our_sdk(
    example_id: str, code: str, client_env: dict[str, str], bridge: Any, workspace: Path
) -> None:
    ours = os.environ.get("OUR_SDK_PYTHON")
    if not ours:
        pytest.skip("OUR_SDK_PYTHON is not set (scripts/test-compat.sh sets it)")
    if example_id in OUR_SDK_DIFFERENCES:
        pytest.skip(OUR_SDK_DIFFERENCES[example_id])
    run_example(example_id, code, ours, client_env, bridge, workspace)


def test_every_docs_page_was_found() -> None:
    assert len(EXAMPLES) >= 39, [e[0] for e in EXAMPLES]  # 39 in the published snapshot
    assert Path(DOCS).is_dir()
