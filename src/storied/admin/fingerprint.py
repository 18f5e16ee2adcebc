"""A schema fingerprint: one hash of the models' tables, the same on every backend.

Backups and exports carry it; a restore or import refuses a file whose fingerprint differs from
the models', which catches "a backup of another application" before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from .codec import kind


def describe(tables: Iterable[sa.Table]) -> list[dict[str, Any]]:
    """The facts the fingerprint covers: table names, column names, kinds, sizes, keys."""
    out = []
    for table in sorted(tables, key=lambda t: t.fullname):
        columns = [
            {
                "name": c.name,
                "kind": kind(c),
                "length": getattr(c.type, "length", None),
                "precision": getattr(c.type, "precision", None),
                "scale": getattr(c.type, "scale", None),
                "nullable": bool(c.nullable),
                "primary_key": c.primary_key,
            }
            for c in table.columns
        ]
        out.append({"table": table.fullname, "columns": columns})
    return out


def fingerprint(tables: Iterable[sa.Table]) -> str:
    """``sha256:<hex>`` of :func:`describe`."""
    text = json.dumps(describe(tables), sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
