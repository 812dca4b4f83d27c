"""Docstring parsing (Google, NumPy and Sphinx styles): summary, description, parameter and return texts."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field


@dataclass(slots=True)
class Docstring:
    summary: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)
    returns: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(p for p in (self.summary, self.description) if p)


_GOOGLE_SECTIONS = {
    "args": "params",
    "arguments": "params",
    "parameters": "params",
    "params": "params",
    "keyword args": "params",
    "keyword arguments": "params",
    "returns": "returns",
    "return": "returns",
    "yields": "returns",
    "raises": "other",
    "examples": "other",
    "example": "other",
    "notes": "other",
    "note": "other",
    "see also": "other",
    "attributes": "other",
    "warns": "other",
    "references": "other",
}


def parse_docstring(doc: str | None) -> Docstring:
    """Summary, long description, parameter and return descriptions of a docstring."""
    if not doc:
        return Docstring()
    lines = inspect.cleandoc(doc).splitlines()
    out = Docstring()
    body: list[str] = []
    i = 0
    section: str | None = None
    current: str | None = None
    returns: list[str] = []

    def add_param(name: str, text: str) -> None:
        name = name.strip().lstrip("*")
        if name:
            out.params[name] = " ".join(text.split())

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        # Sphinx / reST fields
        m = re.match(r"^:(param|parameter|arg|argument|key|keyword)\s+(?:[^:]*\s)?(\*{0,2}\w+):\s*(.*)$", stripped)
        if m:
            text = [m.group(3)]
            while (
                i + 1 < len(lines) and lines[i + 1].startswith((" ", "\t")) and not lines[i + 1].strip().startswith(":")
            ):
                i += 1
                text.append(lines[i].strip())
            add_param(m.group(2), " ".join(text))
            section = "sphinx"
            i += 1
            continue
        m = re.match(r"^:(returns?|yields?):\s*(.*)$", stripped)
        if m:
            text = [m.group(2)]
            while i + 1 < len(lines) and lines[i + 1].startswith((" ", "\t")):
                i += 1
                text.append(lines[i].strip())
            out.returns = " ".join(" ".join(text).split())
            section = "sphinx"
            i += 1
            continue
        if stripped.startswith(":") and re.match(r"^:\w+", stripped):
            section = "sphinx"
            i += 1
            continue
        # NumPy section headers: "Parameters" followed by a line of dashes
        if i + 1 < len(lines) and re.match(r"^-{3,}\s*$", lines[i + 1].strip()) and stripped:
            name = stripped.lower()
            section = (
                "np_params"
                if name in ("parameters", "params", "other parameters")
                else ("np_returns" if name in ("returns", "yields") else "other")
            )
            current = None
            i += 2
            continue
        # Google section headers: "Args:"
        m = re.match(r"^([A-Za-z][A-Za-z ]*):\s*$", stripped)
        if m and m.group(1).lower() in _GOOGLE_SECTIONS and not line.startswith((" ", "\t")):
            kind = _GOOGLE_SECTIONS[m.group(1).lower()]
            section = {"params": "g_params", "returns": "g_returns"}.get(kind, "other")
            current = None
            i += 1
            continue
        if section is None:
            body.append(line)
        elif section == "g_params":
            m = re.match(r"^\s+(\*{0,2}\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$", line)
            if m and (len(line) - len(line.lstrip())) <= _indent_of_first(lines, i):
                current = m.group(1)
                add_param(current, m.group(3))
            elif stripped and current:
                add_param(current, out.params.get(current.lstrip("*"), "") + " " + stripped)
        elif section == "g_returns":
            if stripped:
                returns.append(re.sub(r"^\w[\w\[\], .|]*:\s+", "", stripped) if not returns else stripped)
        elif section == "np_params":
            m = re.match(r"^(\*{0,2}\w+)\s*(?::.*)?$", line)
            if m and not line.startswith((" ", "\t")):
                current = m.group(1)
                add_param(current, "")
            elif stripped and current:
                add_param(current, (out.params.get(current.lstrip("*"), "") + " " + stripped).strip())
        elif section == "np_returns" and line.startswith((" ", "\t")) and stripped:
            returns.append(stripped)
        i += 1
    if returns and out.returns is None:
        out.returns = " ".join(" ".join(returns).split())
    paragraphs = [p.strip() for p in "\n".join(body).strip().split("\n\n") if p.strip()]
    if paragraphs:
        out.summary = " ".join(paragraphs[0].split())
        out.description = "\n\n".join(" ".join(p.split()) for p in paragraphs[1:])
    return out


def _indent_of_first(lines: list[str], i: int) -> int:
    """Indentation of the parameter lines of the Google section containing line ``i``."""
    j = i
    while j > 0 and lines[j - 1].strip() and not re.match(r"^[A-Za-z][A-Za-z ]*:\s*$", lines[j - 1].strip()):
        j -= 1
    first = lines[j] if j < len(lines) else lines[i]
    return len(first) - len(first.lstrip())
