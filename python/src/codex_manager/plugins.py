"""Plugin registration and lifecycle.

Plugins are registered in the order given (``register(client)``); those with ``start()``
are started in that order once all are registered, and stopped in reverse order when the
client closes. If a ``start()`` fails, the plugins already started are stopped (in
reverse) and the error propagates: a client is never left half-started.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from ._compat import isawaitable

__all__ = ["PluginRegistry"]

_log = logging.getLogger("codex_manager.plugins")


def _has(obj: object, name: str) -> bool:
    return callable(getattr(obj, name, None))


class PluginRegistry:
    """The plugins of one client, with a deterministic start/stop order."""

    def __init__(self) -> None:
        self.plugins: list[Any] = []
        self._lifecycles: list[Any] = []
        self._started: list[Any] = []
        self.started = False

    def register(self, client: Any, plugins: Iterable[Any]) -> None:
        for plugin in plugins:
            if not _has(plugin, "register"):
                raise TypeError(f"plugin {plugin!r} has no register(client) method")
            result = plugin.register(client)
            if isawaitable(result):
                close = getattr(result, "close", None)
                if callable(close):
                    close()
                raise TypeError(f"plugin {_name(plugin)}: register() must be synchronous")
            self.plugins.append(plugin)
            if _has(plugin, "start") or _has(plugin, "stop"):
                self._lifecycles.append(plugin)

    # Kept for compatibility with codex-manager's registry.
    def register_sync(self, client: Any, plugins: Iterable[Any]) -> None:
        self.register(client, plugins)
        self.start()

    def register_async(self, client: Any, plugins: Iterable[Any]) -> None:
        self.register(client, plugins)
        self.start()

    def start(self) -> None:
        if self.started:
            return
        try:
            for plugin in self._lifecycles:
                if _has(plugin, "start"):
                    result = plugin.start()
                    if isawaitable(result):
                        close = getattr(result, "close", None)
                        if callable(close):
                            close()
                        raise TypeError(
                            f"plugin {_name(plugin)}: async start() needs AsyncCodexManager (use `async with`)"
                        )
                self._started.append(plugin)
        except BaseException:
            self._rollback()
            raise
        self.started = True

    async def start_async(self) -> None:
        if self.started:
            return
        try:
            for plugin in self._lifecycles:
                if _has(plugin, "start"):
                    result = plugin.start()
                    if isawaitable(result):
                        await result
                self._started.append(plugin)
        except BaseException:
            await self._rollback_async()
            raise
        self.started = True

    def stop(self) -> None:
        self._rollback()
        self.started = False

    async def stop_async(self) -> None:
        await self._rollback_async()
        self.started = False

    def _rollback(self) -> None:
        while self._started:
            plugin = self._started.pop()
            if not _has(plugin, "stop"):
                continue
            try:
                result = plugin.stop()
                if isawaitable(result):
                    close = getattr(result, "close", None)
                    if callable(close):
                        close()
            except Exception:
                _log.exception("plugin %s failed to stop", _name(plugin))

    async def _rollback_async(self) -> None:
        while self._started:
            plugin = self._started.pop()
            if not _has(plugin, "stop"):
                continue
            try:
                result = plugin.stop()
                if isawaitable(result):
                    await result
            except Exception:
                _log.exception("plugin %s failed to stop", _name(plugin))


def _name(plugin: object) -> str:
    return str(getattr(plugin, "name", type(plugin).__name__))
