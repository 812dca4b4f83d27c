"""Which event families a set of handlers needs, so ``run_forever`` subscribes to just those.

The bridge sends each runtime event as up to three frames (raw ``notification``, normalized
``app_server.*``, and for some an alias); the bridge's own events are the ``bridge`` family.
A client that asks only for the families its handlers use gets each runtime event once
(DESIGN §4), so ``run_forever`` derives them from the handlers registered. A handler whose
need cannot be known (a custom matcher, a prefix that spans families) needs every family.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._context import Family

ALL_FAMILIES: tuple[Family, ...] = ("notification", "app_server", "alias", "bridge")

#: codex-manager's alias event types (the runtime notification's params under another name).
ALIAS_TYPES = frozenset(
    {
        "turn_plan_updated",
        "turn_diff_updated",
        "thread_token_usage_updated",
        "app_list_updated",
        "mcp_oauth_completed",
        "account_updated",
        "account_login_completed",
        "account_rate_limits_updated",
    }
)

#: Control frames: they come whatever the families.
CONTROL_TYPES = frozenset({"resync_required", "ready", "subscribed", "replayed", "pong", "error"})


def family_of_type(event_type: str) -> frozenset[Family]:
    """The families an exact event type can arrive in (empty for control frames)."""
    if event_type in CONTROL_TYPES:
        return frozenset()
    if event_type == "notification":
        return frozenset({"notification"})
    if event_type.startswith("app_server."):
        return frozenset({"app_server"})
    if event_type in ALIAS_TYPES:
        return frozenset({"alias"})
    return frozenset({"bridge"})


def family_of_prefix(prefix: str) -> frozenset[Family]:
    """The families whose types can start with ``prefix`` (every family when unsure)."""
    if prefix.startswith("app_server."):
        return frozenset({"app_server"})
    if len(prefix) > len("notification") and prefix.startswith("notification"):
        return frozenset()  # no type is longer than "notification" and starts with it
    return frozenset(ALL_FAMILIES)


def families_needed(needs: Iterable[frozenset[Family]]) -> tuple[Family, ...] | None:
    """The union of what each handler needs, in the bridge's order; None means all of them."""
    wanted: set[Family] = set()
    for need in needs:
        wanted |= need
    if not wanted or wanted >= set(ALL_FAMILIES):
        return None
    return tuple(f for f in ALL_FAMILIES if f in wanted)
