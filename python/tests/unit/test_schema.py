"""JSON Schema inference for remote skills: signatures, type hints, docstrings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NotRequired, TypedDict

import pydantic

from codex_manager import ToolCall
from codex_manager._schema import annotation_schema, coerce_argument, infer_input_schema, parse_docstring
from codex_manager.remote_skills import _call_arguments, make_skill


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass
class Box:
    width: float
    tags: list[str] = field(default_factory=list)


class Options(TypedDict):
    verbose: bool
    level: NotRequired[int]


class Query(pydantic.BaseModel):
    text: str
    limit: int = 10


def test_google_docstring_and_types() -> None:
    def search(
        query: str,
        limit: int = 5,
        mode: Literal["fast", "deep"] = "fast",
        color: Color | None = None,
        tags: list[str] | None = None,
        weights: dict[str, float] | None = None,
        box: Box | None = None,
        options: Options | None = None,
        note: Annotated[str, "free text"] = "",
        call: ToolCall | None = None,
    ) -> list[str]:
        """Search the index.

        Longer explanation
        over two lines.

        Args:
            query: What to look for.
            limit (int): At most this many
                results.
            mode: How hard to look.

        Returns:
            The matching ids.
        """
        return []

    schema, doc = infer_input_schema(search)
    assert doc.summary == "Search the index."
    assert doc.description == "Longer explanation over two lines."
    assert doc.returns == "The matching ids."
    assert schema["description"] == "Search the index.\n\nLonger explanation over two lines."
    props = schema["properties"]
    assert "call" not in props
    assert schema["required"] == ["query"]
    assert schema["additionalProperties"] is False
    assert props["query"] == {"type": "string", "description": "What to look for."}
    assert props["limit"] == {"type": "integer", "description": "At most this many results.", "default": 5}
    assert props["mode"] == {
        "enum": ["fast", "deep"],
        "type": "string",
        "description": "How hard to look.",
        "default": "fast",
    }
    assert props["color"] == {"anyOf": [{"enum": ["red", "blue"], "type": "string"}, {"type": "null"}]}
    assert props["tags"] == {"type": ["array", "null"], "items": {"type": "string"}}
    assert props["weights"] == {"type": ["object", "null"], "additionalProperties": {"type": "number"}}
    assert props["box"] == {
        "type": ["object", "null"],
        "properties": {"width": {"type": "number"}, "tags": {"type": "array", "items": {"type": "string"}}},
        "additionalProperties": False,
        "required": ["width"],
    }
    assert props["options"]["required"] == ["verbose"]
    assert props["note"] == {"type": "string", "description": "free text", "default": ""}
    skill = make_skill("search", search)
    assert skill.description == "Search the index.\n\nLonger explanation over two lines."
    assert skill.output_schema == {"type": "array", "items": {"type": "string"}}
    assert skill.output_description == "The matching ids."


def test_sphinx_and_numpy_docstrings() -> None:
    sphinx = parse_docstring(
        """Do a thing.

        :param x: the x value
        :param int y: the y value,
            continued
        :returns: nothing much
        """
    )
    assert sphinx.params == {"x": "the x value", "y": "the y value, continued"}
    assert sphinx.returns == "nothing much"
    numpy = parse_docstring(
        """Compute.

        Parameters
        ----------
        a : int
            First number.
        b : float, optional
            Second number.

        Returns
        -------
        float
            The result.
        """
    )
    assert numpy.summary == "Compute."
    assert numpy.params == {"a": "First number.", "b": "Second number."}
    assert numpy.returns == "The result."


def test_pydantic_models_kwargs_and_explicit_schemas() -> None:
    def find(query: Query, **extra: Any) -> str:
        return ""

    schema, _ = infer_input_schema(find)
    assert schema["additionalProperties"] is True
    assert schema["properties"]["query"]["properties"]["text"]["type"] == "string"
    explicit = {"type": "object", "properties": {"q": {"type": "string"}}}

    def documented(q: str) -> str:
        """Look up.

        Args:
            q: the query
            ghost: not declared in the explicit schema
        """
        return q

    skill = make_skill("lookup", documented, input_schema=explicit)
    assert skill.input_schema == {
        "type": "object",
        "properties": {"q": {"type": "string", "description": "the query"}},
        "description": "Look up.",
    }
    assert explicit == {"type": "object", "properties": {"q": {"type": "string"}}}
    assert annotation_schema(tuple[int, str])["prefixItems"] == [{"type": "integer"}, {"type": "string"}]
    assert annotation_schema(set[int]) == {"type": "array", "items": {"type": "integer"}, "uniqueItems": True}


def test_arguments_are_coerced_to_the_hints() -> None:
    def handler(box: Box, color: Color, query: Query, ratio: float, call: ToolCall, missing: int = 0) -> None:
        return None

    call = ToolCall(session_id="s", tool="t", arguments={})
    args, kwargs = _call_arguments(
        handler,
        {"box": {"width": 2}, "color": "red", "query": {"text": "x"}, "ratio": 1, "unknown": 5},
        call,
    )
    assert args == []
    assert kwargs["box"] == Box(2)
    assert kwargs["color"] is Color.RED
    assert kwargs["query"] == Query(text="x")
    assert kwargs["ratio"] == 1.0 and isinstance(kwargs["ratio"], float)
    assert kwargs["call"] is call
    assert "unknown" not in kwargs
    assert coerce_argument(int | None, None) is None

    def single(text: str) -> None:
        return None

    assert _call_arguments(single, "plain", call) == ([], {"text": "plain"})
