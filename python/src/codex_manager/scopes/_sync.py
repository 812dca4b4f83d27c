"""Sync session scopes: ``cm.session(id)`` and its messages, controls, settings, approvals and tool views."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._paths import _deep_merge, _dig, _nest, _parts, _value_of

if TYPE_CHECKING:
    from ..api import ApprovalDecision, ReasoningEffort, SessionSettingsScopeName, ToolInputDecision
    from ..client import CodexManager
    from ..wait import SessionTurnReply


class SessionMessagesScope:
    __slots__ = ("_cm", "session_id")

    def __init__(self, cm: CodexManager, session_id: str) -> None:
        self._cm, self.session_id = cm, session_id

    def send(self, text: str, **kwargs: Any) -> Any:
        return self._cm.sessions.send_message(session_id=self.session_id, text=text, **kwargs)

    def send_and_wait(self, text: str, *, timeout_seconds: float = 60.0, **kwargs: Any) -> SessionTurnReply:
        return self._cm.wait.send_message_and_wait_reply(
            session_id=self.session_id, text=text, timeout_seconds=timeout_seconds, **kwargs
        )


class SessionControlsScope:
    __slots__ = ("_cm", "session_id")

    def __init__(self, cm: CodexManager, session_id: str) -> None:
        self._cm, self.session_id = cm, session_id

    def get(self) -> Any:
        return self._cm.sessions.controls_get(session_id=self.session_id)

    def apply(
        self,
        *,
        controls: Mapping[str, Any],
        scope: SessionSettingsScopeName = "session",
        actor: str | None = None,
        source: str | None = None,
    ) -> Any:
        return self._cm.sessions.controls_apply(
            session_id=self.session_id, controls=controls, scope=scope, actor=actor, source=source
        )


class SessionSettingsNamespace:
    """A dotted path inside the settings (``"tools.search"``): get, set, merge without clobbering."""

    __slots__ = ("namespace", "settings_scope")

    def __init__(self, settings_scope: SessionSettingsScope, namespace: str) -> None:
        self.settings_scope, self.namespace = settings_scope, namespace

    def get(self, *, scope: SessionSettingsScopeName = "session") -> Any:
        parts = _parts(self.namespace)
        if not parts:
            return self.settings_scope.get(scope=scope)
        return _dig(_value_of(self.settings_scope.get(scope=scope, key=parts[0])), parts[1:])

    def set(self, value: Any, *, scope: SessionSettingsScopeName = "session", mode: str = "merge") -> Any:
        parts = _parts(self.namespace)
        if not parts:
            if not isinstance(value, Mapping):
                raise ValueError("setting the root namespace needs a mapping")
            return self.settings_scope.set(settings=value, scope=scope, mode=mode)
        root = _value_of(self.settings_scope.get(scope=scope, key=parts[0]))
        root_map = dict(root) if isinstance(root, Mapping) else {}
        if len(parts) == 1:
            if isinstance(value, Mapping) and mode == "merge":
                return self.settings_scope.set(key=parts[0], value=_deep_merge(root_map, value), scope=scope)
            return self.settings_scope.set(key=parts[0], value=value, scope=scope)
        return self.settings_scope.set(key=parts[0], value=_deep_merge(root_map, _nest(parts[1:], value)), scope=scope)

    def merge(self, patch: Mapping[str, Any], *, scope: SessionSettingsScopeName = "session") -> Any:
        if not isinstance(patch, Mapping):
            raise ValueError("merge needs a mapping")
        current = self.get(scope=scope)
        return self.set(_deep_merge(current if isinstance(current, Mapping) else {}, patch), scope=scope)


class SessionSettingsScope:
    __slots__ = ("_cm", "session_id")

    def __init__(self, cm: CodexManager, session_id: str) -> None:
        self._cm, self.session_id = cm, session_id

    def get(self, *, scope: SessionSettingsScopeName = "session", key: str | None = None) -> Any:
        return self._cm.sessions.settings_get(session_id=self.session_id, scope=scope, key=key)

    def set(
        self,
        *,
        settings: Mapping[str, Any] | None = None,
        key: str | None = None,
        value: Any | None = None,
        scope: SessionSettingsScopeName = "session",
        mode: str | None = None,
        actor: str | None = None,
        source: str | None = None,
    ) -> Any:
        return self._cm.sessions.settings_set(
            session_id=self.session_id,
            scope=scope,
            settings=settings,
            key=key,
            value=value,
            mode=(mode or "merge") if settings is not None else None,  # type: ignore[arg-type]
            actor=actor,
            source=source,
        )

    def unset(
        self,
        key: str,
        *,
        scope: SessionSettingsScopeName = "session",
        actor: str | None = None,
        source: str | None = None,
    ) -> Any:
        return self._cm.sessions.settings_unset(
            session_id=self.session_id, key=key, scope=scope, actor=actor, source=source
        )

    def namespace(self, namespace: str) -> SessionSettingsNamespace:
        return SessionSettingsNamespace(self, namespace)


class SessionApprovalsScope:
    __slots__ = ("_cm", "session_id")

    def __init__(self, cm: CodexManager, session_id: str) -> None:
        self._cm, self.session_id = cm, session_id

    def list(self) -> Any:
        return self._cm.sessions.approvals(session_id=self.session_id)

    def decide(self, approval_id: str, decision: ApprovalDecision, *, scope: str | None = None) -> Any:
        return self._cm.approvals.decide(approval_id=approval_id, decision=decision, scope=scope)  # type: ignore[arg-type]


class SessionToolInputScope:
    __slots__ = ("_cm", "session_id")

    def __init__(self, cm: CodexManager, session_id: str) -> None:
        self._cm, self.session_id = cm, session_id

    def list(self) -> Any:
        return self._cm.sessions.tool_input(session_id=self.session_id)

    def decide(
        self,
        request_id: str,
        decision: ToolInputDecision,
        *,
        answers: Mapping[str, Any] | None = None,
        response: Any | None = None,
    ) -> Any:
        return self._cm.tool_input.decide(request_id=request_id, decision=decision, answers=answers, response=response)


class SessionToolCallsScope:
    __slots__ = ("_cm", "session_id")

    def __init__(self, cm: CodexManager, session_id: str) -> None:
        self._cm, self.session_id = cm, session_id

    def list(self) -> Any:
        return self._cm.sessions.tool_calls(session_id=self.session_id)

    def respond(self, request_id: str, **kwargs: Any) -> Any:
        return self._cm.tool_calls.respond(request_id=request_id, **kwargs)


class SessionScope:
    """Operations of one session, with its id bound."""

    def __init__(self, cm: CodexManager, session_id: str) -> None:
        self._cm = cm
        self.session_id = session_id
        self.messages = SessionMessagesScope(cm, session_id)
        self.controls = SessionControlsScope(cm, session_id)
        self.settings = SessionSettingsScope(cm, session_id)
        self.approvals = SessionApprovalsScope(cm, session_id)
        self.tool_input = SessionToolInputScope(cm, session_id)
        self.tool_calls = SessionToolCallsScope(cm, session_id)

    def __repr__(self) -> str:
        return f"SessionScope({self.session_id!r})"

    def get(self) -> Any:
        return self._cm.sessions.get(session_id=self.session_id)

    def delete(self) -> Any:
        return self._cm.sessions.delete(session_id=self.session_id)

    def rename(self, title: str) -> Any:
        return self._cm.sessions.rename(session_id=self.session_id, title=title)

    def archive(self) -> Any:
        return self._cm.sessions.archive(session_id=self.session_id)

    def unarchive(self) -> Any:
        return self._cm.sessions.unarchive(session_id=self.session_id)

    def resume(self, **kwargs: Any) -> Any:
        return self._cm.sessions.resume(session_id=self.session_id, **kwargs)

    def send(self, text: str, **kwargs: Any) -> Any:
        return self._cm.sessions.send_message(session_id=self.session_id, text=text, **kwargs)

    def wait_reply(self, text: str, *, timeout_seconds: float = 60.0, **kwargs: Any) -> SessionTurnReply:
        """Send ``text`` and return the reply as soon as the turn completes."""
        return self.messages.send_and_wait(text, timeout_seconds=timeout_seconds, **kwargs)

    def interrupt(self, turn_id: str | None = None) -> Any:
        return self._cm.sessions.interrupt(session_id=self.session_id, turn_id=turn_id)

    def suggest_request(
        self, *, model: str | None = None, effort: ReasoningEffort | None = None, draft: str | None = None
    ) -> Any:
        return self._cm.sessions.suggest_request(session_id=self.session_id, model=model, effort=effort, draft=draft)

    def steer(self, turn_id: str, input_text: str) -> Any:
        return self._cm.sessions.steer(session_id=self.session_id, turn_id=turn_id, input_text=input_text)

    def fork(self, **kwargs: Any) -> Any:
        return self._cm.sessions.fork(session_id=self.session_id, **kwargs)

    def compact(self) -> Any:
        return self._cm.sessions.compact(session_id=self.session_id)

    def rollback(self, num_turns: int | None = None) -> Any:
        return self._cm.sessions.rollback(session_id=self.session_id, num_turns=num_turns)

    def set_project(self, project_id: str | None) -> Any:
        return self._cm.sessions.set_project(session_id=self.session_id, project_id=project_id)
