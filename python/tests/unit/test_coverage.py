"""Every operation of openapi.json is a method of both clients (and of the typed facade),
with the parameters the document declares; the generated files are fresh."""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codex_manager import AsyncCodexManager, CodexManager
from codex_manager._generated.operations import OPENAPI_SHA256, OPERATIONS
from codex_manager.typed import REQUEST_MODELS, RESPONSE_MODELS
from codex_manager.typed import models as m

REPO = Path(__file__).resolve().parents[3]
OPENAPI = REPO / "openapi.json"
CONTRACT = REPO.parent / "shared" / "contracts" / "codex-manager-clients.md"

#: The "Operation -> Python method" table of the clients contract (codex-manager's names).
CONTRACT_TABLE: dict[str, list[str]] = {
    "getHealth": ["system.health"],
    "getApiInfo": ["system.info"],
    "connectEventStream": ["stream.run_forever"],
    "listAgentExtensions": ["extensions.list"],
    "reloadAgentExtensions": ["extensions.reload"],
    "getCapabilities": ["system.capabilities"],
    "listExperimentalFeatures": ["system.experimental_features"],
    "listCollaborationModes": ["system.collaboration_modes"],
    "listApps": ["apps.list"],
    "listSkills": ["skills.list"],
    "writeSkillConfig": ["skills.set_config"],
    "readRemoteSkills": ["skills.remote_get"],
    "writeRemoteSkills": ["skills.remote_set"],
    "reloadMcpConfig": ["mcp.reload"],
    "startMcpOauthLogin": ["mcp.oauth_login"],
    "readAccount": ["account.get"],
    "startAccountLogin": ["account.login_start"],
    "cancelAccountLogin": ["account.login_cancel"],
    "logoutAccount": ["account.logout"],
    "readAccountRateLimits": ["account.rate_limits"],
    "readConfig": ["config.get"],
    "readConfigRequirements": ["config.requirements"],
    "writeConfigValue": ["config.set"],
    "writeConfigBatch": ["config.batch_set"],
    "executeCommand": ["runtime.exec"],
    "uploadFeedback": ["feedback.submit"],
    "listModels": ["models.list"],
    "listMcpServers": ["mcp.servers"],
    "getOrchestratorJob": ["orchestrator.get"],
    "listProjectOrchestratorJobs": ["orchestrator.list", "projects.orchestrator_jobs"],
    "cancelOrchestratorJob": ["orchestrator.cancel"],
    "listProjects": ["projects.list"],
    "createProject": ["projects.create"],
    "renameProject": ["projects.rename"],
    "deleteProject": ["projects.delete"],
    "listProjectAgentSessions": ["projects.list_agent_sessions"],
    "moveProjectChats": ["projects.move_all_chats"],
    "deleteProjectChats": ["projects.delete_all_chats"],
    "listSessions": ["sessions.list"],
    "createSession": ["sessions.create"],
    "readSession": ["sessions.get"],
    "deleteSession": ["sessions.delete"],
    "upsertSessionTranscriptEntry": ["sessions.transcript_upsert"],
    "forkSession": ["sessions.fork"],
    "compactSession": ["sessions.compact"],
    "rollbackSession": ["sessions.rollback"],
    "cleanBackgroundTerminals": ["sessions.clean_background_terminals"],
    "startReview": ["sessions.review"],
    "steerTurn": ["sessions.steer"],
    "renameSession": ["sessions.rename"],
    "archiveSession": ["sessions.archive"],
    "unarchiveSession": ["sessions.unarchive"],
    "listSessionApprovals": ["sessions.approvals"],
    "listSessionToolInput": ["sessions.tool_input"],
    "listSessionToolCalls": ["sessions.tool_calls"],
    "getSessionControls": ["sessions.controls_get"],
    "applySessionControls": ["sessions.controls_apply"],
    "getSessionSettings": ["sessions.settings_get"],
    "setSessionSettings": ["sessions.settings_set"],
    "deleteSessionSetting": ["sessions.settings_unset"],
    "resumeSession": ["sessions.resume"],
    "setSessionApprovalPolicy": ["sessions.approval_policy"],
    "enqueueSuggestedSessionRequest": ["sessions.suggest_request_enqueue"],
    "suggestSessionRequest": ["sessions.suggest_request"],
    "upsertSuggestedSessionRequest": ["sessions.suggest_request_upsert"],
    "setSessionProject": ["sessions.set_project"],
    "sendSessionMessage": ["sessions.send_message"],
    "interruptSessionTurn": ["sessions.interrupt"],
    "decideToolInput": ["tool_input.decide"],
    "respondToolCall": ["tool_calls.respond"],
    "decideApproval": ["approvals.decide"],
}

#: codex-manager's keyword names where they differ from the snake_case of the API's.
RENAMED = {("steerTurn", "input"): "input_text", ("upsertSessionTranscriptEntry", "type"): "entry_type"}


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def openapi_operations() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    doc = json.loads(OPENAPI.read_text())
    out = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            out.append((op["operationId"], f"{method.upper()} {path}", op, doc))
    return out


@pytest.fixture(scope="module")
def clients() -> Any:
    cm = CodexManager(base_url="http://127.0.0.1:9")
    acm = AsyncCodexManager(base_url="http://127.0.0.1:9")
    yield cm, acm
    cm.close()


def resolve(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def body_fields(op: dict[str, Any], doc: dict[str, Any]) -> set[str]:
    body = op.get("requestBody")
    if not body:
        return set()
    schema = body["content"]["application/json"]["schema"]
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    props: set[str] = set()
    for branch in schema.get("oneOf", [schema]):
        props |= set(branch.get("properties", {}))
    return props


@pytest.mark.parametrize(
    ("operation_id", "route", "op", "doc"), openapi_operations(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_operation_is_a_method_of_both_clients(
    clients: Any, operation_id: str, route: str, op: dict[str, Any], doc: dict[str, Any]
) -> None:
    cm, acm = clients
    meta = op["x-codex-manager"]
    key = f"{meta['domain']}.{meta['name']}"
    spec = OPERATIONS[key]
    assert spec.operation_id == operation_id
    assert f"{spec.method} /api{spec.path}".rstrip("/") == route.rstrip("/")
    if meta["domain"] == "stream":
        assert callable(cm.stream.run_forever) and inspect.iscoroutinefunction(acm.stream.run_forever)
        return
    sync_method = resolve(cm, key)
    async_method = resolve(acm, key)
    assert not inspect.iscoroutinefunction(sync_method)
    assert inspect.iscoroutinefunction(async_method)
    params = set(inspect.signature(sync_method).parameters)
    assert params == set(inspect.signature(async_method).parameters)
    declared = {p["name"] for p in op.get("parameters", [])}
    if operation_id != "startAccountLogin":
        declared |= body_fields(op, doc)
    expected = {RENAMED.get((operation_id, name), snake(name)) for name in declared}
    assert expected <= params, f"{key} lacks {sorted(expected - params)}"
    assert {"allow_statuses", "headers"} <= params
    # typed facade: same operation, with its models
    typed = resolve(cm.typed, key)
    atyped = resolve(acm.typed, key)
    assert inspect.iscoroutinefunction(atyped) and not inspect.iscoroutinefunction(typed)
    assert key in RESPONSE_MODELS
    for status, name in RESPONSE_MODELS[key].items():
        assert str(status) in op["responses"]
        if name is not None:
            assert hasattr(m, name), name
    if op.get("requestBody"):
        assert hasattr(m, REQUEST_MODELS[key])


@pytest.mark.parametrize(("operation_id", "names"), sorted(CONTRACT_TABLE.items()))
def test_contract_names_resolve(clients: Any, operation_id: str, names: list[str]) -> None:
    cm, acm = clients
    for name in names:
        assert callable(resolve(cm, name)), name
        assert callable(resolve(acm, name)), name
    if operation_id != "connectEventStream":
        spec = next(s for s in OPERATIONS.values() if s.operation_id == operation_id)
        assert spec.key in names or set(spec.aliases) & set(names)


def test_contract_table_matches_the_shared_document() -> None:
    if not CONTRACT.exists():
        pytest.skip("shared/contracts is not beside the repository")
    rows = re.findall(r"^\| (\w+) \| `[^`]*` \| `([^`]+)`(?: / `([^`]+)`)? \|$", CONTRACT.read_text(), re.M)
    table = {op: [a, *([b] if b else [])] for op, a, b in rows}
    assert table == CONTRACT_TABLE


def test_no_operation_is_left_out() -> None:
    ids = {op_id for op_id, *_ in openapi_operations()}
    assert ids == {spec.operation_id for spec in OPERATIONS.values()}
    assert set(CONTRACT_TABLE) <= ids


def test_generated_files_match_openapi_json() -> None:
    assert hashlib.sha256(OPENAPI.read_bytes()).hexdigest() == OPENAPI_SHA256, (
        "openapi.json changed: run python/.venv/bin/python scripts/generate-python-models.py"
    )


def test_generator_output_is_fresh() -> None:
    """The checked-in models, APIs and facade are what the generator makes of openapi.json now."""
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate-python-models.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
