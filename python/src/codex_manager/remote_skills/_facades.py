"""The ``cm.remote_skills`` / ``acm.remote_skills`` entry points: create, close and scope skill sessions."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn

from ._async import AsyncRemoteSkillSession
from ._sync import RemoteSkillSession
from ._types import _CATALOG_LOCKED, AsyncRemoteSkillLifecycle, RemoteSkillHandler, RemoteSkillLifecycle, _Registry
from ._wire import _run_awaitable

if TYPE_CHECKING:
    from ..client import AsyncCodexManager, CodexManager


class RemoteSkillsFacade:
    """``cm.remote_skills``."""

    def __init__(self, client: CodexManager) -> None:
        self._client = client
        self._registries: dict[str, _Registry] = {}

    def session(self, session_id: str) -> RemoteSkillSession:
        """The remote skills of an existing session (its catalog is fixed)."""
        registry = self._registries.setdefault(session_id, _Registry())
        registry.catalog_locked = True
        return RemoteSkillSession(client=self._client, session_id=session_id, registry=registry)

    def create_session(
        self,
        *,
        register: Callable[[RemoteSkillSession], Any] | None = None,
        **create_kwargs: Any,
    ) -> tuple[Any, RemoteSkillSession]:
        """Run ``register(skills)``, then create a session declaring those tools."""
        draft_registry = _Registry()
        draft = RemoteSkillSession(client=self._client, session_id="draft", registry=draft_registry)
        if register is not None:
            result = register(draft)
            if inspect.isawaitable(result):
                _run_awaitable(result)
        tools = draft.dynamic_tools()
        if tools and "dynamic_tools" not in create_kwargs:
            create_kwargs["dynamic_tools"] = tools
        create_kwargs.setdefault("allow_statuses", ())
        created = self._client.sessions.create(**create_kwargs)
        session = created.get("session") if isinstance(created, dict) else None
        session_id = session.get("sessionId") if isinstance(session, dict) else None
        if not isinstance(session_id, str) or not session_id:
            raise ValueError("sessions.create answer has no session.sessionId")
        bound = self.session(session_id)
        bound._registry.skills = dict(draft_registry.skills)
        return created, bound

    def close_session(
        self,
        session_id: str,
        *,
        delete_session: bool = False,
        sync_runtime_on_cleanup: bool = True,
        ignore_cleanup_errors: bool = True,
    ) -> dict[str, Any]:
        del sync_runtime_on_cleanup
        registry = self._registries.pop(session_id, None)
        cleared = len(registry.skills) if registry else 0
        deleted: Any = None
        if delete_session:
            try:
                deleted = self._client.sessions.delete(session_id=session_id)
            except Exception:
                if not ignore_cleanup_errors:
                    raise
        status = deleted.get("status") if isinstance(deleted, dict) else None
        out: dict[str, Any] = {"sessionId": session_id, "cleared": cleared, "deleted": status in ("ok", "deleted")}
        if deleted is not None:
            out["deleteResponse"] = deleted
        return out

    @contextlib.contextmanager
    def lifecycle(
        self,
        *,
        register: Callable[[RemoteSkillSession], Any] | None = None,
        keep_session: bool = False,
        sync_runtime_on_cleanup: bool = True,
        ignore_cleanup_errors: bool = True,
        **create_kwargs: Any,
    ) -> Iterator[RemoteSkillLifecycle]:
        """A session with these tools for the block; deleted afterwards unless ``keep_session``."""
        created, skills = self.create_session(register=register, **create_kwargs)
        try:
            yield RemoteSkillLifecycle(session_id=skills.session_id, created=created, skills=skills)
        finally:
            self.close_session(
                skills.session_id,
                delete_session=not keep_session,
                sync_runtime_on_cleanup=sync_runtime_on_cleanup,
                ignore_cleanup_errors=ignore_cleanup_errors,
            )

    def using(self, session_id: str, name: str, handler: RemoteSkillHandler, **kwargs: Any) -> NoReturn:
        raise RuntimeError(_CATALOG_LOCKED)


class AsyncRemoteSkillsFacade:
    """``acm.remote_skills``."""

    def __init__(self, client: AsyncCodexManager) -> None:
        self._client = client
        self._registries: dict[str, _Registry] = {}

    def session(self, session_id: str) -> AsyncRemoteSkillSession:
        registry = self._registries.setdefault(session_id, _Registry())
        registry.catalog_locked = True
        return AsyncRemoteSkillSession(client=self._client, session_id=session_id, registry=registry)

    async def create_session(
        self,
        *,
        register: Callable[[AsyncRemoteSkillSession], Any] | None = None,
        **create_kwargs: Any,
    ) -> tuple[Any, AsyncRemoteSkillSession]:
        draft_registry = _Registry()
        draft = AsyncRemoteSkillSession(client=self._client, session_id="draft", registry=draft_registry)
        if register is not None:
            result = register(draft)
            if inspect.isawaitable(result):
                await result
        tools = draft.dynamic_tools()
        if tools and "dynamic_tools" not in create_kwargs:
            create_kwargs["dynamic_tools"] = tools
        create_kwargs.setdefault("allow_statuses", ())
        created = await self._client.sessions.create(**create_kwargs)
        session = created.get("session") if isinstance(created, dict) else None
        session_id = session.get("sessionId") if isinstance(session, dict) else None
        if not isinstance(session_id, str) or not session_id:
            raise ValueError("sessions.create answer has no session.sessionId")
        bound = self.session(session_id)
        bound._registry.skills = dict(draft_registry.skills)
        return created, bound

    async def close_session(
        self,
        session_id: str,
        *,
        delete_session: bool = False,
        sync_runtime_on_cleanup: bool = True,
        ignore_cleanup_errors: bool = True,
    ) -> dict[str, Any]:
        del sync_runtime_on_cleanup
        registry = self._registries.pop(session_id, None)
        cleared = len(registry.skills) if registry else 0
        deleted: Any = None
        if delete_session:
            try:
                deleted = await self._client.sessions.delete(session_id=session_id)
            except Exception:
                if not ignore_cleanup_errors:
                    raise
        status = deleted.get("status") if isinstance(deleted, dict) else None
        out: dict[str, Any] = {"sessionId": session_id, "cleared": cleared, "deleted": status in ("ok", "deleted")}
        if deleted is not None:
            out["deleteResponse"] = deleted
        return out

    @contextlib.asynccontextmanager
    async def lifecycle(
        self,
        *,
        register: Callable[[AsyncRemoteSkillSession], Any] | None = None,
        keep_session: bool = False,
        sync_runtime_on_cleanup: bool = True,
        ignore_cleanup_errors: bool = True,
        **create_kwargs: Any,
    ) -> AsyncIterator[AsyncRemoteSkillLifecycle]:
        created, skills = await self.create_session(register=register, **create_kwargs)
        try:
            yield AsyncRemoteSkillLifecycle(session_id=skills.session_id, created=created, skills=skills)
        finally:
            await self.close_session(
                skills.session_id,
                delete_session=not keep_session,
                sync_runtime_on_cleanup=sync_runtime_on_cleanup,
                ignore_cleanup_errors=ignore_cleanup_errors,
            )

    async def using(self, session_id: str, name: str, handler: RemoteSkillHandler, **kwargs: Any) -> NoReturn:
        raise RuntimeError(_CATALOG_LOCKED)
