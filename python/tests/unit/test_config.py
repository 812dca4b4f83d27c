"""Connection settings: arguments, environment, profiles, discovery of running bridges."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codex_manager import ClientConfig, CodexManager, find_running_bridges
from codex_manager.config import DEFAULT_BASE_URL, resolve_connection


def register(run_dir: Path, pid: int, url: str, token_file: Path, started: str) -> None:
    folder = run_dir / "codex-manager"
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "url": url,
        "tokenFile": str(token_file),
        "pid": pid,
        "version": "0.1.0",
        "started": started,
        "dataDir": str(token_file.parent),
        "mode": "serve",
    }
    (folder / f"bridge-{pid}.json").write_text(json.dumps(record))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("CODEX_MANAGER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_discovery_picks_the_newest_live_bridge_and_ignores_dead_ones(env: Path) -> None:
    token = env / "token"
    token.write_text("secret-token\n")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    register(env / "run", os.getpid(), "http://127.0.0.1:4100", token, "2026-01-01T00:00:00Z")
    register(env / "run", dead.pid, "http://127.0.0.1:4200", token, "2026-06-01T00:00:00Z")
    (env / "run" / "codex-manager" / "bridge-1.json").write_text("{not json")
    bridges = find_running_bridges()
    assert [b.url for b in bridges] == ["http://127.0.0.1:4100"]
    cfg = resolve_connection(None, "/api", 30.0, None)
    assert cfg.source == "discovery"
    assert cfg.base_url == "http://127.0.0.1:4100"
    assert cfg.headers["Authorization"] == "Bearer secret-token"
    with CodexManager() as cm:
        assert cm.base_url == "http://127.0.0.1:4100"


def test_without_xdg_runtime_dir_the_home_registry_is_used(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    token = env / "token"
    token.write_text("t2")
    register(env / ".codex-manager" / "run", os.getpid(), "http://127.0.0.1:4300", token, "2026-01-01T00:00:00Z")
    # the registry dir is ~/.codex-manager/run/, not ~/.codex-manager/run/codex-manager/
    folder = env / ".codex-manager" / "run" / "codex-manager"
    for f in folder.iterdir():
        f.rename(env / ".codex-manager" / "run" / f.name)
    assert resolve_connection(None, "/api", 30.0, None).base_url == "http://127.0.0.1:4300"


def test_nothing_running_falls_back_to_the_default(env: Path) -> None:
    cfg = resolve_connection(None, "/api", 30.0, None)
    assert cfg.base_url == DEFAULT_BASE_URL and cfg.source == "default"
    assert "Authorization" not in cfg.headers


def test_environment(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEX_MANAGER_API_BASE", "http://example.test:9000/")
    monkeypatch.setenv("CODEX_MANAGER_API_PREFIX", "v2")
    monkeypatch.setenv("CODEX_MANAGER_TIMEOUT_MS", "2500")
    monkeypatch.setenv("CODEX_MANAGER_BEARER_TOKEN", " abc ")
    monkeypatch.setenv("CODEX_MANAGER_RBAC_ROLE", "admin")
    cfg = ClientConfig.from_env()
    assert cfg.base_url == "http://example.test:9000/"
    assert cfg.api_prefix == "/v2"
    assert cfg.timeout_seconds == 2.5
    assert cfg.headers == {"Authorization": "Bearer abc", "x-codex-rbac-role": "admin"}
    with CodexManager.from_env() as cm:
        assert cm.client_config.api_prefix == "/v2"
        assert cm.client_config.headers["Authorization"] == "Bearer abc"


def test_profiles(env: Path) -> None:
    path = env / "config" / "codex-manager" / "cli" / "config.json"
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "currentProfile": "work",
                "profiles": {
                    "local": {"baseUrl": "http://127.0.0.1:1111"},
                    "work": {
                        "baseUrl": "http://work.test",
                        "apiPrefix": "/api",
                        "timeoutMs": 1000,
                        "headers": {"x-team": "a"},
                        "auth": {"bearer": "w-token", "actor": "me"},
                    },
                },
            }
        )
    )
    work = ClientConfig.from_profile()
    assert work.base_url == "http://work.test"
    assert work.timeout_seconds == 1.0
    assert work.headers == {"x-team": "a", "Authorization": "Bearer w-token", "x-codex-rbac-actor": "me"}
    assert ClientConfig.from_profile("local").base_url == "http://127.0.0.1:1111"
    with pytest.warns(UserWarning, match="no profile"):
        assert ClientConfig.from_profile("missing").base_url == "http://127.0.0.1:1111"
    with CodexManager.from_profile("work") as cm:
        assert cm.base_url == "http://work.test"
