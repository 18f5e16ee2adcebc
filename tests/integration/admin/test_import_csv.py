"""CSV import: validated through the models, all or nothing, history by the actor, dry run."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import pytest

from storied import ConflictError, Database, ValidationError
from storied.admin import export_csv, import_csv
from tests.integration.admin.conftest import MODELS, populate
from tests.models import Account, Price, Setting


def fields_of(db: Database, model: type) -> list[tuple]:
    repo = db.repository(model, unscoped=True) if model is not Setting else db.repository(model)
    names = [
        n
        for n in model.model_fields
        if n not in ("version", "created_at", "created_by", "updated_at", "updated_by")
    ]
    return sorted(tuple(str(getattr(m, n)) for n in names) for m in repo.query().all())


def rewrite(path: Path, file: str, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[file] = members[file].replace(old, new)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_export_import_round_trip_with_history_by_the_actor(db: Database, tmp_path: Path) -> None:
    populate(db)
    expected = {m: fields_of(db, m) for m in MODELS}
    path = tmp_path / "e.zip"
    export_csv(db, path)
    db.drop_all(MODELS)
    db.create_all(MODELS)
    report = import_csv(db, path, actor="importer")
    assert report.rows == {"Account": 2, "Price": 1, "Setting": 1}
    assert {m: fields_of(db, m) for m in MODELS} == expected  # ids kept, values exact
    account = db.repository(Account, unscoped=True).query().order_by("code").first()
    history = db.repository(Account, tenant_id=account.tenant_id).history(account.id)
    assert [(c.operation, c.actor) for c in history] == [("import", "importer")]
    price = db.repository(Price, unscoped=True).query().first()
    assert price.created_by == "importer"
    versions = db.repository(Price, tenant_id=price.tenant_id).history(price.id)
    assert [(c.operation, c.actor) for c in versions] == [("import", "importer")]


def test_bad_rows_all_reported_and_nothing_written(db: Database, tmp_path: Path) -> None:
    populate(db)
    path = tmp_path / "e.zip"
    export_csv(db, path)
    rewrite(path, "accounts.csv", b"99.99", b"not-a-number")
    rewrite(path, "accounts.csv", b"A-2", b"A" * 40)  # longer than max_length=32
    db.drop_all(MODELS)
    db.create_all(MODELS)
    report = import_csv(db, path, actor="importer", dry_run=True)
    assert report.dry_run
    fields = sorted(e.field for e in report.errors)
    assert len(report.errors) == 2, report.errors
    assert "code" in fields
    assert all(e.file == "accounts.csv" and e.line >= 2 for e in report.errors)
    with pytest.raises(ValidationError, match="nothing imported"):
        import_csv(db, path, actor="importer")
    for model in MODELS:  # not even the good files' rows
        assert fields_of(db, model) == []


def test_new_ids_and_a_tenant_scope(db: Database, tmp_path: Path) -> None:
    populate(db)
    path = tmp_path / "e.zip"
    export_csv(db, path, [Account])
    old_ids = {a.id for a in db.repository(Account, unscoped=True).query().all()}
    target = uuid.uuid4()
    import_csv(db, path, [Account], actor="copy", tenant_id=target, keep_ids=False)
    copies = db.repository(Account, tenant_id=target).query().all()
    assert len(copies) == 2
    assert not ({a.id for a in copies} & old_ids)


def test_a_database_refusal_rolls_the_whole_import_back(db: Database, tmp_path: Path) -> None:
    populate(db)
    path = tmp_path / "e.zip"
    export_csv(db, path)
    db.drop_all(MODELS)
    db.create_all(MODELS)
    # settings are written last: their unique key collides after the other models went in
    db.repository(Setting, actor="x").create(Setting(key="k", value="already here"))
    with pytest.raises(ConflictError):
        import_csv(db, path, actor="importer")
    assert fields_of(db, Account) == []
    assert fields_of(db, Price) == []
