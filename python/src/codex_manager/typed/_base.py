"""The base of the generated models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["CodexModel"]


class CodexModel(BaseModel):
    """Base of every generated model: validators are built on first use, not at import
    (loading the typed facade stays cheap; each model pays once, when first validated)."""

    model_config = ConfigDict(defer_build=True, populate_by_name=True)
