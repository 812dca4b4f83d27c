"""Shared fixtures: a real bridge (node dist/cli.js serve --demo) started once per session."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYTHON_DIR = REPO / "python"
LISTENING = re.compile(r"listening\s+(http://\S+?)/api\b")


@dataclass
class Bridge:
    """A running bridge: where it listens, its token, its files."""

    url: str  # origin, e.g. http://127.0.0.1:PORT
    token: str
    root: Path
    data_dir: Path
    runtime_dir: Path
    workspace: Path
    process: subprocess.Popen[str]
    log_path: Path

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def new_workspace(self, name: str) -> Path:
        path = self.root / "workspaces" / name
        path.mkdir(parents=True, exist_ok=True)
        (path / "a.txt").write_text("old line\n")
        return path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _node() -> str | None:
    return shutil.which("node")


def _stale(target: Path) -> bool:
    if not target.exists():
        return True
    built = target.stat().st_mtime
    for folder in ("server", "protocol", "cli"):
        for source in (REPO / folder).rglob("*.ts"):
            if source.stat().st_mtime > built:
                return True
    return False


def _ensure_built() -> None:
    """Build dist/ when it is missing or older than the bridge's sources."""
    if not _stale(REPO / "dist" / "cli.js") and not _stale(REPO / "dist" / "server.js"):
        return
    node = _node()
    assert node, "node is needed to build and run the bridge"
    subprocess.run([node, "scripts/build.mjs"], cwd=REPO, check=True, timeout=300)


def start_bridge(root: Path) -> Bridge:
    _ensure_built()
    node = _node()
    assert node
    data_dir = root / "data"
    runtime_dir = root / "run"
    runtime_dir.mkdir(parents=True, exist_ok=True)
    runtime_dir.chmod(0o700)
    workspace = root / "workspace"
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / "a.txt").write_text("old line\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CODEX_MANAGER_", "OPENAI_", "CODEX_")) and k not in ("XDG_RUNTIME_DIR", "XDG_DATA_HOME")
    }
    env.update(
        {
            "HOME": str(root),
            "XDG_RUNTIME_DIR": str(runtime_dir),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "share"),
            "OPENAI_API_KEY": "",
        }
    )
    log_path = root / "bridge.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [node, str(REPO / "dist" / "cli.js"), "serve", "--demo", "--data-dir", str(data_dir), "--port", "0"],
        cwd=str(workspace),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    url = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the bridge exited ({process.returncode}):\n{log_path.read_text()}")
        match = LISTENING.search(log_path.read_text(errors="replace"))
        if match:
            url = match.group(1)
            break
        time.sleep(0.1)
    if url is None:
        process.kill()
        raise RuntimeError(f"the bridge did not start in time:\n{log_path.read_text()}")
    token = (data_dir / "token").read_text().strip()
    return Bridge(url, token, root, data_dir, runtime_dir, workspace, process, log_path)


def stop_bridge(bridge: Bridge) -> None:
    if bridge.process.poll() is None:
        try:
            os.killpg(bridge.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            bridge.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(bridge.process.pid, signal.SIGKILL)
            bridge.process.wait(5)


@pytest.fixture(scope="session")
def bridge() -> Iterator[Bridge]:
    """One real bridge (real codex runtime, scripted offline model) for the whole session."""
    root = Path(tempfile.mkdtemp(prefix="cm-py-"))
    running = start_bridge(root)
    try:
        yield running
    finally:
        stop_bridge(running)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def workspace(bridge: Bridge, request: pytest.FixtureRequest) -> Path:
    """A fresh workspace (with a.txt) for one test's sessions."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)[:80]
    return bridge.new_workspace(name)
