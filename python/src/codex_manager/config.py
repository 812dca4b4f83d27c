"""Where the client connects and with which headers.

Sources, first match wins: the constructor's arguments, then (``from_env``) the
environment, then (``from_profile``) a CLI profile, then a running bridge found through
discovery, then ``http://127.0.0.1:3001``. A bearer token is taken from the headers given,
else ``CODEX_MANAGER_BEARER_TOKEN`` / the profile's ``auth.bearer``, else the token file of
the discovered bridge at that URL.

Environment: ``CODEX_MANAGER_API_BASE``, ``CODEX_MANAGER_API_PREFIX``,
``CODEX_MANAGER_TIMEOUT_MS``, ``CODEX_MANAGER_BEARER_TOKEN``, ``CODEX_MANAGER_RBAC_TOKEN``,
``CODEX_MANAGER_RBAC_ROLE``, ``CODEX_MANAGER_RBAC_ACTOR``. Profiles live in
``$XDG_CONFIG_HOME/codex-manager/cli/config.json`` (shared with the CLI).
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .discovery import find_running_bridges, token_for_url

__all__ = [
    "DEFAULT_API_PREFIX",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT_SECONDS",
    "ClientConfig",
    "default_cli_config_path",
    "load_cli_config",
    "normalize_prefix",
    "resolve_connection",
]

DEFAULT_BASE_URL = "http://127.0.0.1:3001"
DEFAULT_API_PREFIX = "/api"
DEFAULT_TIMEOUT_SECONDS = 30.0


@dataclass(slots=True)
class ClientConfig:
    """Connection settings. ``base_url`` is the origin (the API is under ``api_prefix``)."""

    base_url: str = DEFAULT_BASE_URL
    api_prefix: str = DEFAULT_API_PREFIX
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    headers: dict[str, str] = field(default_factory=dict)
    #: Where base_url came from: "argument", "env", "profile", "discovery" or "default".
    source: str = "default"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ClientConfig:
        environ = dict(os.environ if env is None else env)
        base = _trim(environ.get("CODEX_MANAGER_API_BASE"))
        prefix = normalize_prefix(environ.get("CODEX_MANAGER_API_PREFIX"))
        timeout_ms = _positive_int(environ.get("CODEX_MANAGER_TIMEOUT_MS"))
        headers = _auth_headers(
            bearer=environ.get("CODEX_MANAGER_BEARER_TOKEN"),
            rbac_token=environ.get("CODEX_MANAGER_RBAC_TOKEN"),
            role=environ.get("CODEX_MANAGER_RBAC_ROLE"),
            actor=environ.get("CODEX_MANAGER_RBAC_ACTOR"),
        )
        cfg = cls(
            base_url=base or DEFAULT_BASE_URL,
            api_prefix=prefix,
            timeout_seconds=timeout_ms / 1000.0 if timeout_ms else DEFAULT_TIMEOUT_SECONDS,
            headers=headers,
            source="env" if base else "default",
        )
        if not base:
            cfg = cfg.with_discovery(environ)
        return cfg.with_discovered_token(environ)

    @classmethod
    def from_profile(
        cls,
        profile: str | None = None,
        *,
        config_path: str | Path | None = None,
        env: dict[str, str] | None = None,
    ) -> ClientConfig:
        environ = dict(os.environ if env is None else env)
        payload = load_cli_config(config_path=config_path, env=environ)
        raw_profiles, raw_current = payload.get("profiles"), payload.get("currentProfile")
        profiles: dict[str, Any] = raw_profiles if isinstance(raw_profiles, dict) else {}
        current = raw_current if isinstance(raw_current, str) else None
        selected = (profile or current or "local").strip() or "local"
        entry: dict[str, Any] = {}
        if isinstance(profiles.get(selected), dict):
            entry = dict(profiles[selected])
        else:
            if selected != "local":
                where = config_path or default_cli_config_path(environ)
                warnings.warn(f"no profile {selected!r} in {where}; using 'local'", stacklevel=2)
            if isinstance(profiles.get("local"), dict):
                entry = dict(profiles["local"])
        base = _trim(entry.get("baseUrl"))
        timeout_ms = _positive_int(entry.get("timeoutMs"))
        headers: dict[str, str] = {}
        raw_headers = entry.get("headers")
        if isinstance(raw_headers, dict):
            headers.update(
                {k: v for k, v in raw_headers.items() if isinstance(k, str) and isinstance(v, str) and k.strip()}
            )
        raw_auth = entry.get("auth")
        auth: dict[str, Any] = raw_auth if isinstance(raw_auth, dict) else {}
        headers.update(
            _auth_headers(
                bearer=auth.get("bearer"),
                rbac_token=auth.get("rbacToken"),
                role=auth.get("role"),
                actor=auth.get("actor"),
            )
        )
        cfg = cls(
            base_url=base or DEFAULT_BASE_URL,
            api_prefix=normalize_prefix(_trim(entry.get("apiPrefix"))),
            timeout_seconds=timeout_ms / 1000.0 if timeout_ms else DEFAULT_TIMEOUT_SECONDS,
            headers=headers,
            source="profile" if base else "default",
        )
        if not base:
            cfg = cfg.with_discovery(environ)
        return cfg.with_discovered_token(environ)

    def with_discovery(self, env: dict[str, str] | None = None) -> ClientConfig:
        """This config pointed at the newest running bridge, when one is registered."""
        bridges = find_running_bridges(env)
        if not bridges:
            return self
        record = bridges[0]
        headers = dict(self.headers)
        if not _has_auth(headers):
            token = record.read_token()
            if token:
                headers["Authorization"] = f"Bearer {token}"
        return ClientConfig(
            base_url=record.api_base,
            api_prefix=self.api_prefix,
            timeout_seconds=self.timeout_seconds,
            headers=headers,
            source="discovery",
        )

    def with_discovered_token(self, env: dict[str, str] | None = None) -> ClientConfig:
        """Add the bearer token of the bridge registered at ``base_url`` when none is set."""
        if _has_auth(self.headers):
            return self
        token = token_for_url(self.base_url, env)
        if not token:
            return self
        return ClientConfig(
            base_url=self.base_url,
            api_prefix=self.api_prefix,
            timeout_seconds=self.timeout_seconds,
            headers={**self.headers, "Authorization": f"Bearer {token}"},
            source=self.source,
        )


def resolve_connection(
    base_url: str | None,
    api_prefix: str,
    timeout_seconds: float,
    headers: dict[str, str] | None,
) -> ClientConfig:
    """The constructor's settings, completed by discovery where nothing was given."""
    given = dict(headers or {})
    if base_url:
        cfg = ClientConfig(
            base_url=base_url.rstrip("/"),
            api_prefix=normalize_prefix(api_prefix),
            timeout_seconds=timeout_seconds,
            headers=given,
            source="argument",
        )
        return cfg.with_discovered_token()
    cfg = ClientConfig(api_prefix=normalize_prefix(api_prefix), timeout_seconds=timeout_seconds, headers=given)
    return cfg.with_discovery().with_discovered_token()


def normalize_prefix(value: str | None) -> str:
    trimmed = (value or "").strip()
    if not trimmed:
        return DEFAULT_API_PREFIX
    if trimmed == "/":
        return ""
    trimmed = trimmed if trimmed.startswith("/") else f"/{trimmed}"
    return trimmed.rstrip("/")


def default_cli_config_path(env: dict[str, str] | None = None) -> Path:
    environ = os.environ if env is None else env
    xdg = environ.get("XDG_CONFIG_HOME")
    root = Path(xdg) if xdg else Path(environ.get("HOME") or str(Path.home())) / ".config"
    return root / "codex-manager" / "cli" / "config.json"


def load_cli_config(*, config_path: str | Path | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    path = Path(config_path) if config_path else default_cli_config_path(env)
    try:
        parsed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"currentProfile": "local", "profiles": {}}
    return parsed if isinstance(parsed, dict) else {"currentProfile": "local", "profiles": {}}


def _has_auth(headers: dict[str, str]) -> bool:
    return any(k.lower() == "authorization" for k in headers)


def _auth_headers(*, bearer: Any, rbac_token: Any, role: Any, actor: Any) -> dict[str, str]:
    headers: dict[str, str] = {}
    if b := _trim(bearer):
        headers["Authorization"] = f"Bearer {b}"
    if t := _trim(rbac_token):
        headers["x-codex-rbac-token"] = t
    if r := _trim(role):
        headers["x-codex-rbac-role"] = r
    if a := _trim(actor):
        headers["x-codex-rbac-actor"] = a
    return headers


def _trim(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _positive_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str):
        try:
            parsed = int(value.strip())
        except ValueError:
            return None
        return parsed if parsed > 0 else None
    return None
