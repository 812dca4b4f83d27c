"""The clients: :class:`CodexManager` (sync) and :class:`AsyncCodexManager` (async)."""

from __future__ import annotations

from ._async import AsyncCodexManager
from ._common import _SAFE_METHODS as _SAFE_METHODS
from ._common import _VALIDATION_ENV as _VALIDATION_ENV
from ._common import _VALIDATION_MODES as _VALIDATION_MODES
from ._common import CLIENT_HEADERS as CLIENT_HEADERS
from ._common import F as F
from ._common import ValidationMode
from ._common import _clean_query as _clean_query
from ._common import _Common as _Common
from ._common import _expand as _expand
from ._common import _normalize_path as _normalize_path
from ._common import _status_of as _status_of
from ._common import _validation_mode as _validation_mode
from ._sync import CodexManager

__all__ = [
    "AsyncCodexManager",
    "CodexManager",
    "ValidationMode",
]
