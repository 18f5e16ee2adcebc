"""A table rebuild renders the same SQL however the copied table's sets are ordered (apply
compares a plan's SQL with a fresh plan's, so an unstable order would make every plan stale)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from storied.schema.render import render_rebuild


def _table(order: list[str]) -> sa.Table:
    parts: dict[str, object] = {
        "ck": sa.CheckConstraint("qty >= 0", name="ck_t_qty"),
        "uq": sa.UniqueConstraint("a", "id", name="ux_t_key"),
        "ck2": sa.CheckConstraint("qty <= 9", name="ck_t_qty_le"),
    }
    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer),
        sa.Column("qty", sa.Integer),
        *(parts[name] for name in order),  # type: ignore[arg-type]
    )
    for name in order:
        sa.Index(f"ix_t_{name}", table.c.a, table.c.qty if name == "ck" else table.c.id)
    return table


def test_constraints_and_indexes_come_out_in_one_order() -> None:
    rendered = {
        tuple(render_rebuild(sqlite.dialect(), _table(order), []))
        for order in (["ck", "uq", "ck2"], ["uq", "ck2", "ck"], ["ck2", "ck", "uq"])
    }
    assert len(rendered) == 1
    [statements] = rendered
    create = next(s for s in statements if s.startswith("CREATE TABLE"))
    assert create.index("ck_t_qty ") < create.index("ck_t_qty_le") < create.index("ux_t_key")
