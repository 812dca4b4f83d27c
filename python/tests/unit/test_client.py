"""Client behaviour without a bridge: requests, errors, allow_statuses, hooks, middleware,
retries, injection points, plugins and validation modes (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from codex_manager import (
    ApiError,
    AsyncCodexManager,
    AuthError,
    ClientTimeoutError,
    CodexManager,
    ConflictError,
    ExponentialBackoff,
    GoneError,
    HookRegistry,
    LockedError,
    NotFoundError,
    RequestCall,
    ServerError,
    TransportError,
    TypedModelValidationError,
    ValidationError,
)
from codex_manager.typed import models as m

BASE = "http://bridge.test"
Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self, respond: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self._respond = respond or (lambda r: httpx.Response(200, json={"status": "ok"}))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._respond(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, i: int = -1) -> Any:
        content = self.requests[i].content
        return json.loads(content) if content else None


def sync_client(handler: Handler, **kwargs: Any) -> CodexManager:
    http = httpx.Client(base_url=BASE, transport=httpx.MockTransport(handler))
    return CodexManager(base_url=BASE, http_client=http, **kwargs)


def async_client(handler: Handler, **kwargs: Any) -> AsyncCodexManager:
    http = httpx.AsyncClient(base_url=BASE, transport=httpx.MockTransport(handler))
    return AsyncCodexManager(base_url=BASE, http_client=http, **kwargs)


def test_keyword_arguments_become_path_query_and_camel_case_body() -> None:
    rec = Recorder(lambda r: httpx.Response(202, json={"status": "accepted", "sessionId": "s 1", "turnId": "t"}))
    cm = sync_client(rec)
    out = cm.sessions.send_message(
        session_id="s 1",
        text="hi",
        approval_policy="never",
        dynamic_tools=[{"name": "x", "description": "d", "inputSchema": {}}],
    )
    assert out["turnId"] == "t"
    assert rec.last.method == "POST"
    assert rec.last.url.raw_path == b"/api/sessions/s%201/messages"
    assert rec.body() == {
        "text": "hi",
        "approvalPolicy": "never",
        "dynamicTools": [{"name": "x", "description": "d", "inputSchema": {}}],
    }
    assert rec.last.headers["content-type"] == "application/json"
    cm.sessions.list(archived=True, limit=5, include_system_owned=True)
    assert rec.last.url.params == httpx.QueryParams({"archived": "true", "includeSystemOwned": "true", "limit": "5"})
    cm.sessions.archive(session_id="abc")
    assert rec.body() == {}
    cm.system.health()
    assert rec.last.content == b"" and rec.last.url.path == "/api/health"
    cm.system.info()
    assert rec.last.url.path == "/api"


def test_compat_parameter_names_defaults_and_nullable_fields() -> None:
    rec = Recorder()
    cm = sync_client(rec)
    cm.sessions.steer(session_id="s", turn_id="t", input_text="more")
    assert rec.body() == {"input": "more"}
    cm.sessions.transcript_upsert(
        session_id="s", message_id="m", turn_id="t", role="user", entry_type="note", content="c", status="complete"
    )
    assert rec.body()["type"] == "note"
    cm.sessions.controls_apply(session_id="s", controls={"model": None})
    assert rec.body() == {"scope": "session", "controls": {"model": None}}
    cm.sessions.set_project(session_id="s", project_id=None)
    assert rec.body() == {"projectId": None}
    cm.projects.rename(project_id="p", name="n")
    assert rec.body() == {"name": "n"}
    cm.projects.rename(project_id="p", name="n", working_directory=None)
    assert rec.body() == {"name": "n", "workingDirectory": None}
    cm.sessions.settings_set(session_id="s", key="k", value=None)
    assert rec.body() == {"scope": "session", "key": "k", "value": None}
    with pytest.raises(ValueError, match="exactly one"):
        cm.sessions.settings_set(session_id="s", key="k", settings={"a": 1})
    cm.account.login_start_api_key("sk-test")
    assert rec.body() == {"type": "apiKey", "apiKey": "sk-test"}
    cm.projects.orchestrator_jobs(project_id="p", state="queued")
    assert rec.last.url.path == "/api/projects/p/orchestrator/jobs" and rec.last.url.params["state"] == "queued"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, ValidationError),
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (409, ConflictError),
        (410, GoneError),
        (422, ValidationError),
        (423, LockedError),
        (500, ServerError),
        (503, ServerError),
        (418, ApiError),
    ],
)
def test_statuses_raise_their_error_class(status: int, error: type[ApiError]) -> None:
    body = {"status": "error", "code": f"code_{status}", "message": "went wrong"}
    cm = sync_client(lambda r: httpx.Response(status, json=body))
    with pytest.raises(error) as raised:
        cm.projects.list()
    assert raised.value.status == status
    assert raised.value.code == f"code_{status}"
    assert raised.value.body == body
    assert raised.value.details.operation == "projects.list"
    assert "went wrong" in str(raised.value)


def test_allow_statuses_and_compatible_defaults() -> None:
    cm = sync_client(lambda r: httpx.Response(410, json={"status": "deleted", "sessionId": "s"}))
    # sessions.get returns a 410 body by default (as codex-manager's SDK did) ...
    assert cm.sessions.get(session_id="s")["status"] == "deleted"
    # ... unless the call says otherwise.
    with pytest.raises(GoneError):
        cm.sessions.get(session_id="s", allow_statuses=())
    with pytest.raises(GoneError):
        cm.projects.list()
    assert cm.projects.list(allow_statuses=[410])["status"] == "deleted"


def test_transport_failures() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ClientTimeoutError):
        sync_client(timeout).system.health()
    with pytest.raises(TransportError):
        sync_client(refused).system.health()


def test_hooks_run_in_a_fixed_order_and_can_change_the_request() -> None:
    rec = Recorder()
    order: list[str] = []
    cm = sync_client(rec)

    @cm.before("sessions.create")
    def exact(call: RequestCall) -> None:
        order.append("exact")
        assert call.headers is not None
        call.headers["x-trace"] = "1"

    @cm.before()
    def wildcard(call: RequestCall) -> None:
        order.append(f"*:{call.operation}")

    @cm.before("sessions.*")
    def glob(call: RequestCall) -> None:
        order.append("glob")

    @cm.before("createSession")
    def by_id(call: RequestCall) -> None:
        order.append("operationId")

    @cm.after("sessions.create")
    def after(call: RequestCall, response: Any) -> None:
        order.append(f"after:{response['status']}")

    cm.sessions.create(cwd="/tmp")
    assert order == ["*:sessions.create", "glob", "exact", "operationId", "after:ok"]
    assert rec.last.headers["x-trace"] == "1"
    assert rec.last.headers["x-codex-manager-client"] == "python"
    order.clear()
    cm.projects.list()
    assert order == ["*:projects.list"]


def test_middleware_and_error_hooks() -> None:
    events: list[str] = []

    class Audit:
        def before(self, call: RequestCall) -> None:
            events.append("before")

        def after(self, call: RequestCall, response: Any) -> None:
            events.append("after")

        def on_error(self, call: RequestCall, error: Exception) -> None:
            events.append(f"error:{type(error).__name__}")

    cm = sync_client(lambda r: httpx.Response(404, json={"status": "not_found"}))
    cm.use_middleware(Audit(), operation="projects.*")
    with pytest.raises(NotFoundError):
        cm.projects.delete(project_id="p", allow_statuses=())
    assert events == ["before", "error:NotFoundError"]
    with pytest.raises(TypeError):
        cm.use_middleware(object())

    async def async_hook(call: RequestCall) -> None:
        return None

    cm.before()(async_hook)
    with pytest.raises(TypeError, match="async"):
        cm.system.health()


def test_async_client_runs_async_hooks_and_header_providers() -> None:
    rec = Recorder()
    seen: list[str] = []

    class Headers:
        async def headers(self) -> dict[str, str]:
            return {"Authorization": "Bearer rotated"}

    async def main() -> None:
        acm = async_client(rec, header_provider=Headers())

        @acm.before()
        async def hook(call: RequestCall) -> None:
            seen.append(call.operation)

        async with acm:
            await acm.sessions.create()
            await acm.session("s").settings.namespace("a.b").set(1)

    asyncio.run(main())
    assert seen[0] == "sessions.create"
    assert rec.requests[0].headers["authorization"] == "Bearer rotated"


def test_retries_only_idempotent_operations_unless_opted_in() -> None:
    calls = {"n": 0}

    def flaky(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(503, json={"status": "error", "code": "runtime_unavailable", "message": "x"})

    policy = ExponentialBackoff(max_attempts=3, base_delay_seconds=0.0)
    cm = sync_client(flaky, retry_policy=policy)
    with pytest.raises(ServerError):
        cm.sessions.list()  # idempotent: 3 tries
    assert calls["n"] == 3
    calls["n"] = 0
    with pytest.raises(ServerError):
        cm.sessions.create()  # not idempotent: 1 try
    assert calls["n"] == 1
    calls["n"] = 0
    cm2 = sync_client(flaky, retry_policy=policy, retryable_operations=["sessions.create"])
    with pytest.raises(ServerError):
        cm2.sessions.create()
    assert calls["n"] == 3
    attempts: list[int] = []

    @cm2.before()
    def note(call: RequestCall) -> None:
        attempts.append(call.attempt)

    calls["n"] = 0
    ok_after = {"n": 0}

    def recovers(request: httpx.Request) -> httpx.Response:
        ok_after["n"] += 1
        return httpx.Response(503 if ok_after["n"] < 2 else 200, json={"status": "ok", "data": []})

    cm3 = sync_client(recovers, retry_policy=policy)
    assert cm3.projects.list()["status"] == "ok"
    assert ok_after["n"] == 2


def test_custom_executor_and_hook_registry_injection() -> None:
    class Executor:
        def __init__(self) -> None:
            self.calls: list[dict[str, Any]] = []

        def request(self, **kwargs: Any) -> Any:
            self.calls.append(kwargs)
            return {"status": "ok", "via": "executor"}

    registry = HookRegistry()
    seen: list[str] = []
    registry.add_before("*", lambda call: seen.append(call.operation))
    executor = Executor()
    cm = CodexManager(base_url=BASE, request_executor=executor, hook_registry=registry)
    assert cm.projects.create(name="p")["via"] == "executor"
    assert executor.calls[0]["operation"] == "projects.create"
    assert executor.calls[0]["path"] == "/projects"
    assert executor.calls[0]["json_body"] == {"name": "p"}
    assert seen == ["projects.create"]
    cm.close()


def test_plugins_start_in_order_stop_in_reverse_and_roll_back() -> None:
    log: list[str] = []

    class Plugin:
        def __init__(self, name: str, fail: bool = False) -> None:
            self.name = name
            self.fail = fail

        def register(self, client: Any) -> None:
            log.append(f"register:{self.name}")

        def start(self) -> None:
            if self.fail:
                raise RuntimeError("no")
            log.append(f"start:{self.name}")

        def stop(self) -> None:
            log.append(f"stop:{self.name}")

    cm = sync_client(Recorder(), plugins=[Plugin("a"), Plugin("b")])
    cm.close()
    cm.close()
    assert log == ["register:a", "register:b", "start:a", "start:b", "stop:b", "stop:a"]
    log.clear()
    with pytest.raises(RuntimeError):
        sync_client(Recorder(), plugins=[Plugin("a"), Plugin("b"), Plugin("c", fail=True)])
    assert log == ["register:a", "register:b", "register:c", "start:a", "start:b", "stop:b", "stop:a"]


def test_async_plugins_with_async_lifecycle() -> None:
    log: list[str] = []

    class AsyncPlugin:
        name = "p"

        def register(self, client: Any) -> None:
            log.append("register")

        async def start(self) -> None:
            log.append("start")

        async def stop(self) -> None:
            log.append("stop")

    async def main() -> None:
        acm = async_client(Recorder(), plugins=[AsyncPlugin()])
        assert log == ["register"]
        async with acm:
            assert log == ["register", "start"]
        assert log == ["register", "start", "stop"]

    asyncio.run(main())


def test_validation_modes(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = Recorder(lambda r: httpx.Response(200, json={"unexpected": True}))
    monkeypatch.setenv("CODEX_MANAGER_PY_VALIDATION_MODE", "strict")
    strict = sync_client(bad)
    assert strict.validation_mode == "strict"
    with pytest.raises(TypedModelValidationError) as raised:
        strict.system.health()
    assert raised.value.boundary == "response" and raised.value.status_code == 200
    monkeypatch.delenv("CODEX_MANAGER_PY_VALIDATION_MODE")
    default = sync_client(bad)
    assert default.validation_mode == "typed-only"
    assert default.system.health() == {"unexpected": True}
    with pytest.raises(TypedModelValidationError):
        default.typed.system.health()
    off = sync_client(bad, validation_mode="off")
    assert off.typed.system.health() == {"unexpected": True}
    with pytest.raises(ValueError, match="validation_mode"):
        sync_client(bad, validation_mode="sometimes")  # type: ignore[arg-type]


def test_typed_facade_parses_by_status_and_validates_requests() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/messages"):
            return httpx.Response(202, json={"status": "accepted", "sessionId": "s", "turnId": "t", "extra": 1})
        return httpx.Response(
            410,
            json={
                "status": "deleted",
                "sessionId": "s",
                "title": None,
                "message": "gone",
                "deletedAt": "2026-01-01T00:00:00Z",
            },
        )

    rec = Recorder(respond)
    cm = sync_client(rec)
    accepted = cm.typed.sessions.send_message(session_id="s", text="hi", approval_policy="never")
    assert isinstance(accepted, m.SendSessionMessageResponse202)
    assert accepted.turn_id == "t"
    assert rec.body() == {"text": "hi", "approvalPolicy": "never"}
    cm.typed.sessions.send_message({"text": "payload", "networkAccess": "enabled"}, session_id="s")
    assert rec.body() == {"text": "payload", "networkAccess": "enabled"}
    cm.typed.sessions.send_message(m.SendSessionMessageRequest(text="model"), session_id="s")
    assert rec.body() == {"text": "model"}
    gone = cm.typed.sessions.get(session_id="s")
    assert isinstance(gone, m.DeletedSessionPayload)
    with pytest.raises(TypedModelValidationError) as raised:
        cm.typed.sessions.send_message(session_id="s", text="x", approval_policy="maybe")  # type: ignore[arg-type]
    assert raised.value.boundary == "request"
    with pytest.raises(ValueError, match="not both"):
        cm.typed.sessions.send_message({"text": "a"}, session_id="s", text="b")
    n = len(rec.requests)
    cm.typed.sessions.send_message(session_id="s", text="x", approval_policy="maybe", validate=False)  # type: ignore[arg-type]
    assert len(rec.requests) == n + 1 and rec.body()["approvalPolicy"] == "maybe"


def test_session_scope_and_settings_namespace() -> None:
    store: dict[str, Any] = {}

    def respond(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.endswith("/settings"):
            key = request.url.params.get("key")
            return httpx.Response(200, json={"status": "ok", "key": key, "value": store.get(key or "")})
        if request.method == "POST" and request.url.path.endswith("/settings"):
            body = json.loads(request.content)
            store[body["key"]] = body["value"]
            return httpx.Response(200, json={"status": "ok"})
        return httpx.Response(200, json={"status": "ok"})

    cm = sync_client(respond)
    scope = cm.session("s1")
    store["tools"] = {"search": {"enabled": False, "depth": 1}, "other": 1}
    scope.settings.namespace("tools.search").merge({"enabled": True})
    assert store["tools"] == {"search": {"enabled": True, "depth": 1}, "other": 1}
    assert scope.settings.namespace("tools.search.depth").get() == 1
    scope.settings.namespace("fresh").set({"a": 1})
    assert store["fresh"] == {"a": 1}


def test_hooks_keyed_by_codex_manager_operation_names_still_fire() -> None:
    fired: list[str] = []
    cm = sync_client(Recorder())
    cm.before("sessions.settings.get")(lambda call: fired.append(call.operation))
    cm.before("sessions.approvals.list")(lambda call: fired.append(call.operation))
    cm.sessions.settings_get(session_id="s")
    cm.sessions.approvals(session_id="s")
    cm.sessions.get(session_id="s")
    assert fired == ["sessions.settings_get", "sessions.approvals"]


def test_typed_none_means_not_given_unless_the_field_can_be_null() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json={"status": "ok"}))
    cm = sync_client(rec)
    cm.typed.projects.rename(project_id="p", name="n", working_directory=None, validate=False)
    assert rec.body() == {"name": "n", "workingDirectory": None}
    cm.typed.sessions.set_project(session_id="s", project_id=None, validate=False)
    assert rec.body() == {"projectId": None}
    cm.typed.sessions.create(cwd=None, model="m", validate=False)
    assert rec.body() == {"model": "m"}


def test_codex_manager_typed_names_and_parse() -> None:
    # codex-manager's docs import its model names from codex_manager.typed.
    from codex_manager.typed import CreateSessionRequest, CreateSessionResponse, ReadSessionResponse, SessionSummary

    assert CreateSessionResponse is m.CreateSessionResponse200
    assert ReadSessionResponse is m.ReadSessionResponse200
    assert CreateSessionRequest(cwd="/w", model="gpt-5").model_dump(by_alias=True, exclude_none=True) == {
        "cwd": "/w",
        "model": "gpt-5",
    }
    assert "sessionControls" in SessionSummary.model_json_schema(by_alias=True)["properties"]
    cm = sync_client(Recorder())
    settings = {"status": "ok", "sessionId": "s", "scope": "session", "settings": {}}
    # Our operation keys and codex-manager's (sessions.settings.get) both parse.
    assert cm.typed.parse("sessions.settings_get", settings) == cm.typed.parse("sessions.settings.get", settings)
    with pytest.raises(ValueError, match="no typed contract"):
        cm.typed.parse("sessions.nothing", {})


def test_allow_statuses_defaults_are_codex_managers() -> None:
    no_turn = {"status": "no_active_turn", "sessionId": "s", "code": "conflict", "message": "no turn"}
    cm = sync_client(lambda r: httpx.Response(409, json=no_turn))
    assert cm.sessions.interrupt(session_id="s") == no_turn
    invalid = {"status": "error", "code": "invalid_request", "message": "bad"}
    cm = sync_client(lambda r: httpx.Response(400, json=invalid))
    assert cm.sessions.send_message(session_id="s", text="hi") == invalid
    unavailable = {"status": "error", "code": "runtime_unavailable", "message": "down"}
    cm = sync_client(lambda r: httpx.Response(503, json=unavailable))
    assert cm.approvals.decide(approval_id="a", decision="accept") == unavailable
