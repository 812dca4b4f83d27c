"""Finding a running bridge with no configuration.

Every running bridge registers ``bridge-<pid>.json`` (``url``, ``tokenFile``, ``pid``,
``version``, ``started``, ``dataDir``, ``mode``) in ``$XDG_RUNTIME_DIR/codex-manager/``
(else ``~/.codex-manager/run/``). Records of dead processes are ignored. The token is read
from ``tokenFile`` and sent as ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BridgeRecord", "find_running_bridges", "registry_dir", "token_for_url"]


@dataclass(frozen=True, slots=True)
class BridgeRecord:
    """A running bridge as it registered itself."""

    url: str
    token_file: str
    pid: int
    version: str
    started: str
    data_dir: str
    mode: str

    @property
    def api_base(self) -> str:
        """The bridge's origin (``http://127.0.0.1:PORT``); the API is under ``/api``."""
        return self.url.rstrip("/")

    def read_token(self) -> str | None:
        try:
            token = Path(self.token_file).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return token or None


def _is_record_name(name: str) -> bool:
    """``bridge-<pid>.json``."""
    return name.startswith("bridge-") and name.endswith(".json") and name[7:-5].isdigit()


def registry_dir(env: dict[str, str] | None = None) -> Path:
    environ = os.environ if env is None else env
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "codex-manager"
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / ".codex-manager" / "run"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def find_running_bridges(env: dict[str, str] | None = None) -> list[BridgeRecord]:
    """Bridges registered for this user whose process is alive, newest first."""
    directory = registry_dir(env)
    try:
        names = sorted(n for n in os.listdir(directory) if _is_record_name(n))
    except OSError:
        return []
    found: list[BridgeRecord] = []
    for name in names:
        try:
            raw = json.loads((directory / name).read_text(encoding="utf-8"))
            record = BridgeRecord(
                url=str(raw["url"]),
                token_file=str(raw.get("tokenFile", "")),
                pid=int(raw["pid"]),
                version=str(raw.get("version", "")),
                started=str(raw.get("started", "")),
                data_dir=str(raw.get("dataDir", "")),
                mode=str(raw.get("mode", "")),
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if _alive(record.pid):
            found.append(record)
    found.sort(key=lambda r: r.started, reverse=True)
    return found


def _origin(url: str) -> str:
    url = url.rstrip("/")
    for suffix in ("/api",):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    return url.replace("://localhost:", "://127.0.0.1:")


def token_for_url(base_url: str, env: dict[str, str] | None = None) -> str | None:
    """The token of the running bridge at ``base_url``, if one registered itself there."""
    want = _origin(base_url)
    for record in find_running_bridges(env):
        if _origin(record.url) == want:
            return record.read_token()
    return None
