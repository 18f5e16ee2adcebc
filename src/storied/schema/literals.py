"""Values in plan text, written as a user writes them in a model: ``0``, ``'draft'``,
``'2026-01-01T00:00:00+00:00'`` — never Python reprs such as ``Decimal('0')``."""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from decimal import Decimal
from typing import Any


def show(value: Any) -> str:
    """``value`` as it reads in a plan."""
    if isinstance(value, enum.Enum):
        return show(value.value)
    if value is None or isinstance(value, bool | int | float | bytes):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return repr(value.isoformat())
    if isinstance(value, uuid.UUID | str):
        return repr(str(value))
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)
