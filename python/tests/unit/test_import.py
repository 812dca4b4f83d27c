"""`import codex_manager` stays cheap: nothing heavy is imported until it is used."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_loads_nothing_heavy() -> None:
    modules = loaded_after("import codex_manager")
    assert not {m for m in modules if m.split(".")[0] in ("httpx", "websockets", "pydantic", "asyncio")}
    assert "codex_manager.client" not in modules
    assert "typing" not in modules or "typing" in loaded_after("pass")


def test_client_import_does_not_load_websockets_or_pydantic() -> None:
    modules = loaded_after(
        "from codex_manager import CodexManager\nCodexManager(base_url='http://127.0.0.1:9').close()"
    )
    assert "websockets" not in modules
    assert "pydantic" not in modules
    assert "codex_manager.typed" not in modules


def test_names_resolve_lazily() -> None:
    import codex_manager

    assert codex_manager.CodexManager.__name__ == "CodexManager"
    assert "WaitTimeoutError" in dir(codex_manager)
    assert json.loads(json.dumps(codex_manager.__all__))
    try:
        codex_manager.NoSuchThing  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("expected AttributeError")
