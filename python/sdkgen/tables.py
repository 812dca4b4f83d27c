"""Compatibility tables: the hand-kept differences between the OpenAPI document and the Python SDK's surface."""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Compatibility tables (codex-manager's Python SDK; see shared/contracts/codex-manager-clients.md)
# ---------------------------------------------------------------------------------------

#: Python parameter names that differ from the snake_case of the wire name.
PARAM_RENAMES: dict[tuple[str, str], str] = {
    ("steerTurn", "input"): "input_text",
    ("upsertSessionTranscriptEntry", "type"): "entry_type",
}

#: Defaults for parameters the API requires but codex-manager's SDK defaulted.
PARAM_DEFAULTS: dict[tuple[str, str], str] = {
    ("applySessionControls", "scope"): '"session"',
    ("setSessionSettings", "scope"): '"session"',
}

#: Operations whose body is passed whole as ``payload`` (codex-manager's signature).
PAYLOAD_OPERATIONS = {"startAccountLogin"}

#: Keyword arguments codex-manager's SDK accepted that this API has no use for: accepted
#: and ignored, so existing scripts keep running.
IGNORED_PARAMS: dict[str, list[tuple[str, str]]] = {}

#: Exactly one of these body fields must be given (checked before the request).
ONE_OF_GROUPS: dict[str, tuple[str, ...]] = {
    "setSessionSettings": ("settings", "key"),
}

#: A body field that is always sent (even as null) when another one is given.
SENT_WITH: dict[tuple[str, str], str] = {
    ("setSessionSettings", "value"): "key",
}

#: Extra client method names for an operation (besides domain.name from the table).
ALIASES: dict[str, list[tuple[str, str]]] = {
    "listProjectOrchestratorJobs": [("projects", "orchestrator_jobs")],
}

#: codex-manager's hook keys where they differ from ``domain.name`` (hooks, middleware and
#: ``retryable_operations`` registered under these keep matching).
LEGACY_KEYS: dict[str, tuple[str, ...]] = {
    "system.experimental_features": ("system.features.experimental",),
    "system.collaboration_modes": ("system.collaboration.modes",),
    "skills.set_config": ("skills.config.set",),
    "skills.remote_get": ("skills.remote.get",),
    "skills.remote_set": ("skills.remote.set",),
    "mcp.servers": ("mcp.servers.list",),
    "mcp.oauth_login": ("mcp.oauth.login",),
    "account.login_start": ("account.login.start",),
    "account.login_cancel": ("account.login.cancel",),
    "orchestrator.get": ("orchestrator.jobs.get",),
    "orchestrator.list": ("orchestrator.jobs.list", "projects.orchestrator.jobs.list"),
    "orchestrator.cancel": ("orchestrator.jobs.cancel",),
    "projects.list_agent_sessions": ("projects.agent_sessions.list",),
    "projects.move_all_chats": ("projects.chats.move_all",),
    "projects.delete_all_chats": ("projects.chats.delete_all",),
    "sessions.clean_background_terminals": ("sessions.background_terminals.clean",),
    "sessions.set_project": ("sessions.project.set",),
    "sessions.approvals": ("sessions.approvals.list",),
    "sessions.tool_input": ("sessions.tool_input.list",),
    "sessions.tool_calls": ("sessions.tool_calls.list",),
    "sessions.controls_get": ("sessions.controls.get",),
    "sessions.controls_apply": ("sessions.controls.apply",),
    "sessions.settings_get": ("sessions.settings.get",),
    "sessions.settings_set": ("sessions.settings.set",),
    "sessions.settings_unset": ("sessions.settings.unset",),
    "sessions.suggest_request_enqueue": ("sessions.suggest_request.enqueue",),
    "sessions.suggest_request_upsert": ("sessions.suggest_request.upsert",),
    "sessions.transcript_upsert": ("sessions.transcript.upsert",),
    "sessions.approval_policy": ("sessions.approval_policy.set",),
}

#: Operations that are not plain request/response calls (served by ``cm.stream``).
STREAM_OPERATIONS = {"connectEventStream"}

#: Documented non-2xx answers that codex-manager's methods returned as values instead of
#: raising. Kept as each method's default ``allow_statuses`` (a per-call ``allow_statuses``
#: replaces it); 401/403 always raise. Intersected with the statuses the operation documents.
COMPAT_ALLOW: dict[str, tuple[int, ...]] = {
    "system.experimental_features": (501,),
    "system.collaboration_modes": (501,),
    "models.list": (501,),
    "apps.list": (501,),
    "skills.list": (501,),
    "skills.set_config": (501,),
    "skills.remote_get": (500, 501),
    "skills.remote_set": (501,),
    "mcp.reload": (501,),
    "mcp.servers": (501,),
    "mcp.oauth_login": (501,),
    "account.get": (501,),
    "account.login_start": (400, 501),
    "account.login_cancel": (404, 501),
    "account.logout": (501,),
    "account.rate_limits": (501,),
    "config.get": (501,),
    "config.requirements": (501,),
    "config.set": (501,),
    "config.batch_set": (501,),
    "runtime.exec": (501,),
    "feedback.submit": (501,),
    "orchestrator.cancel": (404, 409),
    "projects.delete": (404,),
    "projects.list_agent_sessions": (404,),
    "approvals.decide": (404,),
    "tool_input.decide": (404,),
    "tool_calls.respond": (404, 409),
    "sessions.get": (410,),
    "sessions.delete": (404, 410),
    "sessions.fork": (410, 501),
    "sessions.compact": (410, 501),
    "sessions.rollback": (400, 409, 410, 501),
    "sessions.clean_background_terminals": (410, 501),
    "sessions.review": (410, 501),
    "sessions.steer": (400, 404, 409, 410, 501),
    "sessions.approvals": (410,),
    "sessions.tool_input": (410,),
    "sessions.tool_calls": (410,),
    "sessions.controls_get": (404, 410),
    "sessions.controls_apply": (400, 404, 410, 423),
    "sessions.settings_get": (404, 410),
    "sessions.settings_set": (400, 404, 410, 423),
    "sessions.settings_unset": (404, 410, 423),
    "sessions.resume": (410,),
    "sessions.suggest_request": (409, 410),
    "sessions.suggest_request_enqueue": (404, 410),
    "sessions.send_message": (404, 410),
    "sessions.interrupt": (404, 409),
    "sessions.approval_policy": (404, 410),
    "sessions.transcript_upsert": (404, 410),
}

DOMAIN_DOCS: dict[str, str] = {
    "system": "Bridge and runtime information.",
    "runtime": "The codex runtime: commands and restarts.",
    "apps": "Apps known to the runtime.",
    "skills": "Skills and their configuration.",
    "models": "Models the runtime offers.",
    "mcp": "MCP servers.",
    "account": "The runtime's account and login.",
    "config": "The runtime's configuration.",
    "feedback": "Feedback uploads.",
    "projects": "Projects and the chats in them.",
    "sessions": "Sessions (threads), their turns, controls, settings and pending requests.",
    "approvals": "Decisions on pending approvals.",
    "tool_input": "Answers to pending user-input requests.",
    "tool_calls": "Answers to pending dynamic tool calls.",
    "orchestrator": "Background jobs.",
    "extensions": "Agent extensions.",
}
