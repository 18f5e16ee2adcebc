"""CSV export: every type reads back exactly; manifest counts and checksums; tenant scope."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from storied import Database
from storied.admin import export_csv
from storied.admin.codec import from_text, kind
from storied.admin.fingerprint import fingerprint
from tests.integration.admin.conftest import MODELS, populate, rows_of
from tests.models import Account, Color, Dimensions, Everything


def read_back(db: Database, path: Path, models: list[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The CSV files decoded by column kind, as rows_of would give them."""
    out = {}
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        for entry in manifest["tables"]:
            data = zf.read(entry["file"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            reader = csv.reader(io.StringIO(data.decode(), newline=""))
            header = next(reader)
            assert header == entry["columns"]
            table = db.registry.metadata.tables[entry["name"]]
            kinds = [kind(table.columns[n]) for n in header]
            rows = [tuple(from_text(c, k) for c, k in zip(r, kinds, strict=True)) for r in reader]
            assert len(rows) == entry["rows"]
            out[entry["name"]] = rows
    return out


def test_every_type_round_trips_exactly(db: Database, tmp_path: Path) -> None:
    db.create_all([Everything])
    repo = db.repository(Everything, tenant_id=uuid.uuid4())
    common: dict[str, Any] = {
        "short": "",
        "number": -(2**62),
        "ratio": 0.1,
        "flag": False,
        "amount": Decimal("-123456789012.123456"),
        "ref": uuid.uuid4(),
        "at": dt.datetime(2026, 5, 6, 7, 8, 9, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        "day": dt.date(1999, 12, 31),
        "clock_time": dt.time(23, 59, 59, 999999),
        "blob": bytes(range(256)),
        "color": Color.GREEN,
        "level": "high",
        "data": {"nested": [1, "two", None, {"x": 1.5}], "ä": "ü"},
        "items": [],
        "dims": Dimensions(width=1.0, height=2.5),
    }
    repo.create(Everything(text="\\N", maybe=None, **common))  # the NULL spelling as text
    repo.create(Everything(text='line\nbreak, "quoted"', maybe="", **common))
    repo.create(Everything(text="\\back", maybe="\\N", **common))
    path = tmp_path / "e.zip"
    manifest = export_csv(db, path)
    assert manifest.fingerprint == fingerprint(db.registry.tables([Everything]))
    assert read_back(db, path, [Everything]) == rows_of(db, [Everything])


def test_history_tables_and_counts(db: Database, tmp_path: Path) -> None:
    populate(db)
    manifest = export_csv(db, tmp_path / "all.zip")
    counts = {t.name: t.rows for t in manifest.tables}
    assert counts["accounts"] == 2
    assert counts["accounts_audit"] >= 3
    assert counts["prices"] == 2  # both versions
    assert counts["settings"] == 1
    assert read_back(db, tmp_path / "all.zip", MODELS) == rows_of(db)


def test_tenant_scoped_export_holds_only_that_tenant(db: Database, tmp_path: Path) -> None:
    mine = populate(db)
    other = db.repository(Account, tenant_id=uuid.uuid4(), actor="mallory")
    other.create(Account(code="OTHER", owner="x", balance=Decimal("1")))
    manifest = export_csv(db, tmp_path / "t.zip", tenant_id=mine)
    names = {t.name for t in manifest.tables}
    assert "settings" not in names  # untenanted: not one tenant's data
    data = read_back(db, tmp_path / "t.zip", MODELS)
    assert len(data["accounts"]) == 2
    tenant_col = [c.name for c in db.registry.mapped(Account).table.columns].index("tenant_id")
    assert {r[tenant_col] for r in data["accounts"]} == {mine}
    assert all(b"OTHER" not in repr(r).encode() for r in data["accounts"])
