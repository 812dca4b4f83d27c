#!/usr/bin/env python3
"""Benchmark: how long `import codex_manager` takes (budget: 150 ms, DESIGN §9).

Not a test: prints numbers for bench/RESULTS.md. Each case runs in a fresh interpreter
(`python -c ...`, so nothing is cached in-process), many times, interleaved with a
baseline (`python -c pass`) so that machine load affects both alike; the cost of the
import is the median difference. Also reports the package's own share from
`-X importtime` (the modules under codex_manager, not the standard library they use).

Run (with the SDK's venv): python/.venv/bin/python bench/python-import-bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time

CASES = {
    "import codex_manager": "import codex_manager",
    "from codex_manager import CodexManager": "from codex_manager import CodexManager",
    "CodexManager() constructed and closed": (
        "from codex_manager import CodexManager\nCodexManager(base_url='http://127.0.0.1:9').close()"
    ),
    "cm.typed (Pydantic models loaded)": (
        "from codex_manager import CodexManager\n"
        "cm = CodexManager(base_url='http://127.0.0.1:9')\ncm.typed.sessions\ncm.close()"
    ),
}
BUDGET_MS = 150.0


def run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return (time.perf_counter() - start) * 1000


def own_importtime(code: str) -> float:
    """Cumulative microseconds of the top-level codex_manager imports, per -X importtime."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True)
    total = 0
    for line in out.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and m.group(4).startswith("codex_manager"):
            total += int(m.group(1))  # self time of our own modules only
    return total / 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    run("import codex_manager")  # warm the file cache and write .pyc files
    print(f"python {sys.version.split()[0]}, {args.runs} runs per case, median of (case - baseline)")
    print(f"{'case':42} {'median':>9} {'p90':>9} {'own modules':>12}")
    result = 0
    for name, code in CASES.items():
        diffs = []
        for _ in range(args.runs):
            base = run("pass")
            diffs.append(run(code) - base)
        diffs.sort()
        median = statistics.median(diffs)
        p90 = diffs[int(len(diffs) * 0.9) - 1]
        own = statistics.median(own_importtime(code) for _ in range(5))
        print(f"{name:42} {median:7.1f}ms {p90:7.1f}ms {own:10.1f}ms")
        if name == "import codex_manager" and median > BUDGET_MS:
            result = 1
    baseline = statistics.median(run("pass") for _ in range(args.runs))
    print(f"{'baseline: python -c pass':42} {baseline:7.1f}ms")
    print(f"budget: import codex_manager <= {BUDGET_MS:.0f} ms -> {'OK' if result == 0 else 'OVER'}")
    return result


if __name__ == "__main__":
    sys.exit(main())
