"""Release smoke test of the installed `codex-manager-client` wheel (not the checkout).

Run by scripts/release/smoke.sh with the fresh venv's Python, against the bridge of the
globally installed `codex-manager` npm package (found through discovery, as a user's
script finds it). Exits non-zero on any mismatch.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version

import codex_manager
from codex_manager import CodexManager

expected = sys.argv[1]
where = os.path.dirname(codex_manager.__file__)
assert "site-packages" in where, f"codex_manager imported from {where}, not the installed wheel"
assert codex_manager.__version__ == expected == version("codex-manager-client"), (
    codex_manager.__version__,
    version("codex-manager-client"),
    expected,
)

with CodexManager() as cm:
    session_id = cm.sessions.create(cwd=os.getcwd())["session"]["sessionId"]
    reply = cm.wait.send_message_and_wait_reply(session_id=session_id, text="hello", timeout_seconds=60)
    assert reply.status == "completed", reply
    assert "offline demo model" in (reply.assistant_reply or ""), reply.assistant_reply
print(f"python: codex-manager-client {expected} from {where}: a session round trip ({reply.status})")
