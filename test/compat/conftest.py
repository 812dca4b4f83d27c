"""The compatibility suite's fixtures: one real bridge (``dist/cli.js serve --demo``: the real
codex runtime, the scripted offline model) that codex-manager's own clients talk to, as a
codex-manager user would configure them (a CLI profile in ``$XDG_CONFIG_HOME``).

Run it with ``scripts/test-compat.sh``: it installs codex-manager's Python client (from the
shared read-only copy) into a venv of its own, and its CLI next to it; both are git-ignored.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))
from tests.conftest import Bridge, start_bridge, stop_bridge  # noqa: E402  (our SDK's bridge launcher)

#: codex-manager's published source (read-only in CI, beside the clone).
ANCHOR = Path(os.environ.get("CODEX_MANAGER_ANCHOR", REPO.parent / "shared" / "anchors" / "codex-manager"))
#: Where scripts/test-compat.sh put codex-manager's CLI (a copy, with its npm dependencies).
CLI_DIR = Path(os.environ.get("COMPAT_CLI_DIR", REPO / ".tmp" / "compat" / "cli")).resolve()


@pytest.fixture(scope="session")
def bridge() -> Iterator[Bridge]:
    root = Path(tempfile.mkdtemp(prefix="cm-compat-"))
    running = start_bridge(root)
    try:
        yield running
    finally:
        stop_bridge(running)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def client_env(bridge: Bridge) -> dict[str, str]:
    """The environment a codex-manager user has: a CLI profile "local" pointing at the bridge
    with its token (what ``from_profile("local")`` and the CLI read), and the same in
    ``CODEX_MANAGER_*`` variables (what ``from_env()`` reads)."""
    config_home = bridge.root / "client-config"
    profile = {"baseUrl": bridge.url, "apiPrefix": "/api", "auth": {"bearer": bridge.token}}
    path = config_home / "codex-manager" / "cli" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"currentProfile": "local", "profiles": {"local": profile}}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEX_MANAGER_")}
    env.update(
        {
            "XDG_CONFIG_HOME": str(config_home),
            "CODEX_MANAGER_API_BASE": bridge.url,
            "CODEX_MANAGER_BEARER_TOKEN": bridge.token,
        }
    )
    return env


@pytest.fixture(scope="session")
def connection(bridge: Bridge) -> dict[str, Any]:
    """The keyword arguments that point a codex-manager client at the bridge."""
    return {"base_url": bridge.url, "headers": {"Authorization": f"Bearer {bridge.token}"}}


@pytest.fixture
def workspace(bridge: Bridge, request: pytest.FixtureRequest) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)[:80]
    return bridge.new_workspace(name)


def eventually(check: Any, timeout: float = 60.0, interval: float = 0.1) -> Any:
    """Polls ``check`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)
