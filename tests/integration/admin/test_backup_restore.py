"""Backup → restore equal on every backend; bad files refused with the live database unchanged."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from storied import (
    ConfigurationError,
    Database,
    MissingToolError,
    OperationalError,
    OperationsError,
    RestoreRefused,
)
from storied.admin import backup, restore
from tests.integration.admin.conftest import MODELS, live_state, populate, rows_of, server_url
from tests.models import Product, StockItem, Warehouse

TOOLS = {"postgresql": ("pg_dump", "pg_restore"), "mysql": ("mariadb-dump", "mariadb")}


def need_tools(backend: str) -> None:
    missing = [t for t in TOOLS.get(backend, ()) if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"missing {missing}")
        pytest.skip(f"missing {missing}")


def restored(live: Database, backend: str, report_target: str | None, name: str) -> Database:
    """A Database on what the restore produced (the live one itself for SQLite)."""
    if backend == "sqlite":
        return live
    assert report_target is not None
    assert report_target.endswith(f"/{name}")
    return Database(server_url(live, name)).connect()


@pytest.mark.parametrize("portable", [True, False], ids=["portable", "native"])
def test_backup_restore_round_trip(
    live: Database, backend: str, tmp_path: Path, new_db_name: str, portable: bool
) -> None:
    if not portable:
        need_tools(backend)
    before = rows_of(live)
    assert before["accounts_audit"]  # history is part of what must come back
    result = backup(live, tmp_path / "b.bak", portable=portable)
    assert result.size > 0
    # the live database moves on after the backup
    repo = live.repository(MODELS[0], unscoped=True)
    first = repo.query().order_by("code").first()
    tenant_repo = live.repository(MODELS[0], tenant_id=first.tenant_id, actor="eve")
    tenant_repo.update(first.id, owner="changed")
    assert rows_of(live) != before
    report = restore(live, result.path, into=None if backend == "sqlite" else new_db_name)
    assert not report.dry_run
    target = restored(live, backend, report.target, new_db_name)
    try:
        assert rows_of(target) == before
        assert report.rows["accounts_audit"] == len(before["accounts_audit"])
        # the restored database takes new writes (auto-increment continues after the ids)
        again = target.repository(MODELS[0], tenant_id=first.tenant_id, actor="eve")
        again.update(first.id, owner="after restore")
        assert len(again.history(first.id)) == 3
    finally:
        if target is not live:
            target.close()
    if backend == "sqlite":
        assert report.previous is not None
        assert report.previous.exists()  # the replaced database was kept


def test_sqlite_portable_backup_restores_into_a_server(
    backend: str, db_url: str, tmp_path: Path, new_db_name: str
) -> None:
    if backend == "sqlite":
        pytest.skip("cross-backend: a SQLite backup into a server")
    with Database(f"sqlite:///{tmp_path}/src.db") as source:
        populate(source)
        expected = rows_of(source)
        path = backup(source, tmp_path / "portable.zip", portable=True).path
    with Database(db_url) as server:
        server.registry.add(*MODELS)
        report = restore(server, path, into=new_db_name)
        with Database(server_url(server, new_db_name)) as target:
            assert rows_of(target) == expected  # history and versions intact, types exact
            repo = target.repository(MODELS[0], unscoped=True)
            account = repo.query().order_by("code").first()
            history = target.repository(MODELS[0], tenant_id=account.tenant_id).history(account.id)
            assert [len(c.changes) for c in history][-1] >= 1
        assert report.format == "portable"


def test_portable_restore_into_an_empty_configured_database(
    backend: str, db_url: str, tmp_path: Path
) -> None:
    with Database(f"sqlite:///{tmp_path}/src.db") as source:
        populate(source)
        expected = rows_of(source)
        path = backup(source, tmp_path / "p.zip", portable=True).path
    if backend == "sqlite":
        pytest.skip("servers only: SQLite restores by switching files")
    with Database(db_url) as server:
        server.registry.add(*MODELS)
        server.drop_all(MODELS)
        try:
            restore(server, path)
            assert rows_of(server) == expected
            # no longer empty: a second restore must go into a new database
            with pytest.raises(ConfigurationError, match="into=NAME"):
                restore(server, path)
        finally:
            server.drop_all(MODELS)


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    if data.startswith(b"SQLite format 3\x00"):
        # damage a page's b-tree header: garbage inside a row's text would still be a valid
        # database (only a checksum finds that; portable backups carry one)
        page = int.from_bytes(data[16:18], "big")
        middle = (len(data) // page // 2) * page
    data[middle : middle + 64] = os.urandom(64)
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def tamper_data(path: Path) -> None:
    """A valid zip whose data no longer matches the manifest's checksum."""
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["data/accounts.jsonl"] = members["data/accounts.jsonl"].replace(b"A-1", b"A-9")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@pytest.mark.parametrize("portable", [True, False], ids=["portable", "native"])
@pytest.mark.parametrize("damage", ["corrupt", "truncate", "foreign", "garbage", "tamper"])
def test_bad_backup_is_refused_and_live_unchanged(
    live: Database,
    backend: str,
    db_url: str,
    tmp_path: Path,
    new_db_name: str,
    portable: bool,
    damage: str,
) -> None:
    if not portable:
        need_tools(backend)
    if damage == "tamper" and not portable:
        pytest.skip("checksums are a portable-backup manifest's")
    path = tmp_path / "b.bak"
    if damage == "foreign":
        # a backup of another application's models
        other_url = f"sqlite:///{tmp_path}/other.db" if backend == "sqlite" else None
        if other_url is None:
            other_name = f"storied_o{uuid.uuid4().hex[:8]}"
            with live.engine.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {other_name}")
            other_url = server_url(live, other_name).render_as_string(hide_password=False)
        try:
            with Database(other_url) as other:
                other.create_all([Product])
                other.repository(Product, tenant_id=uuid.uuid4()).create(
                    Product(sku="x", name="y", price=1)
                )
                backup(other, path, portable=portable)
        finally:
            if backend != "sqlite":
                with live.engine.connect() as conn:
                    conn.exec_driver_sql(f"DROP DATABASE {sa.make_url(other_url).database}")
    else:
        backup(live, path, portable=portable)
        if damage == "garbage":
            path.write_bytes(os.urandom(4096))
        else:
            {"corrupt": corrupt, "truncate": truncate, "tamper": tamper_data}[damage](path)
    before = live_state(live, backend)
    into = None if backend == "sqlite" else new_db_name
    for dry_run in (True, False):
        with pytest.raises(RestoreRefused):
            restore(live, path, into=into, dry_run=dry_run)
    assert live_state(live, backend) == before
    if backend == "sqlite":
        leftovers = [p.name for p in tmp_path.iterdir() if ".restore-" in p.name]
        assert leftovers == []
    else:
        with pytest.raises(OperationalError):  # the new database was dropped again
            Database(server_url(live, new_db_name)).connect()


def test_dry_run_verifies_only(
    live: Database, backend: str, tmp_path: Path, new_db_name: str
) -> None:
    path = backup(live, tmp_path / "b.zip", portable=True).path
    before = live_state(live, backend)
    report = restore(live, path, into=new_db_name if backend != "sqlite" else None, dry_run=True)
    assert report.dry_run
    assert report.target is None
    assert "schema fingerprint" in report.checks
    assert report.rows["accounts"] == 2
    assert live_state(live, backend) == before
    if backend != "sqlite":
        with pytest.raises(OperationalError):
            Database(server_url(live, new_db_name)).connect()


@pytest.mark.parametrize("portable", [True, False], ids=["portable", "native"])
def test_backup_is_a_consistent_snapshot_under_a_concurrent_writer(
    db: Database, backend: str, tmp_path: Path, new_db_name: str, portable: bool
) -> None:
    """Each writer transaction adds a warehouse and its stock item: a torn snapshot would
    hold more of one than the other (or a stock item whose warehouse is missing)."""
    if not portable:
        need_tools(backend)
    db.create_all([Warehouse, StockItem])
    tenant = uuid.uuid4()
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        wh = db.repository(Warehouse, tenant_id=tenant)
        items = db.repository(StockItem, tenant_id=tenant)
        while not stop.is_set():
            with db.transaction():
                w = wh.create(Warehouse(code=uuid.uuid4().hex[:20]))
                items.create(StockItem(warehouse_id=w.id))
            written[0] += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 20:
            stop.wait(0.01)
        result = backup(db, tmp_path / "snap.bak", portable=portable, models=[Warehouse, StockItem])
    finally:
        stop.set()
        thread.join()
    into = None if backend == "sqlite" else new_db_name
    if backend == "sqlite":
        target_db = Database(f"sqlite:///{tmp_path}/copy.db").connect()
        report = restore(target_db, result.path, models=[Warehouse, StockItem])
        target_db.close()
    else:
        report = restore(db, result.path, into=into, models=[Warehouse, StockItem])
    assert report.rows["warehouses"] == report.rows["stock_items"]
    assert report.rows["warehouses"] >= 20


def test_pg_dump_of_another_major_version_is_refused(
    db: Database, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "postgresql":
        pytest.skip("pg_dump only")
    # a stand-in client reporting another major version, first on PATH
    shim = tmp_path / "pg_dump"
    shim.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    db.create_all([Warehouse])
    with pytest.raises(OperationsError, match="same major version"):
        backup(db, tmp_path / "x.dump")
    assert not (tmp_path / "x.dump").exists()


def test_missing_tool_names_its_package(
    db: Database, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite needs no external tool")
    monkeypatch.setenv("PATH", str(tmp_path))
    package = {"postgresql": "postgresql-client", "mysql": "mariadb-client"}[backend]
    with pytest.raises(MissingToolError, match=package):
        backup(db, tmp_path / "x.dump")


def test_server_native_restore_needs_a_new_database(
    live: Database, backend: str, tmp_path: Path
) -> None:
    if backend == "sqlite":
        pytest.skip("servers only")
    need_tools(backend)
    path = backup(live, tmp_path / "x.dump").path
    with pytest.raises(ConfigurationError, match="into=NAME"):
        restore(live, path)
    with pytest.raises(ConfigurationError, match="valid database name"):
        restore(live, path, into="bad-name; drop")
