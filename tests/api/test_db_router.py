"""The operations router over HTTP (uvicorn with a Database, in-process with an
AsyncDatabase), on every backend: health, the audit feed across models and tenants, diagrams,
export/import, backup/restore with the live database unchanged on a bad upload."""

from __future__ import annotations

import io
import json
import os
import shutil
import uuid
import zipfile
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from storied import AsyncDatabase, Database
from storied.admin import export_csv
from storied.api import Principal, db_router, install_problem_handlers
from tests.api.app import Note, Product
from tests.api.conftest import Api, free_socket, in_process, served
from tests.conftest import SERVERS


def admin(api: Api) -> str:
    return api.callers.add(
        f"root-{uuid4().hex[:8]}", Principal(actor="root", unscoped=True, admin=True)
    )


def product(sku: str, **extra: Any) -> dict[str, Any]:
    return {"sku": sku, "name": "hammer", "price": "9.99", **extra}


def audit(api: Api, caller: str, **params: Any) -> list[dict[str, Any]]:
    r = api.get("/db/audit", caller, params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]  # type: ignore[no-any-return]


def manifest_of(api: Api, caller: str) -> dict[str, str]:
    """sha256 of every table in a fresh export: the database's whole content, compared."""
    r = api.get("/db/export.zip", caller)
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    return {t["name"]: t["sha256"] for t in manifest["tables"]}


def test_health_answers_from_the_database(api: Api) -> None:
    alice = api.callers.tenant("alice")
    r = api.get("/db/health", alice)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] in ("healthy", "degraded")
    checks = {c["name"]: c for c in body["checks"]}
    assert checks["round_trip"]["status"] == "healthy"
    assert checks["round_trip"]["value"] > 0  # a measured round trip, not a constant
    assert api.request("GET", "/db/health").status_code == 401


def test_audit_is_tenant_scoped_and_admin_sees_all(api: Api) -> None:
    a, b = uuid4(), uuid4()
    ann, bob = api.callers.tenant("ann", a), api.callers.tenant("bob", b)
    p = api.post("/api_products", ann, json=product(f"A-{a.hex[:6]}")).json()
    api.patch(f"/api_products/{p['id']}", ann, json={"price": "10.00"})
    d = api.post("/api_docs", ann, json={"title": "spec"}).json()
    theirs = api.post("/api_products", bob, json=product(f"B-{b.hex[:6]}")).json()

    mine = audit(api, ann, actor="ann")
    assert [(e["component"], e["record_id"], e["operation"]) for e in mine] == [
        ("Product", p["id"], "create"),
        ("Product", p["id"], "update"),
        ("Doc", d["id"], "create"),
    ]
    assert mine[1]["changes"] == {"price": {"old": "9.99", "new": "10.00"}}
    assert theirs["id"] not in {e["record_id"] for e in audit(api, ann)}  # never B's
    assert audit(api, ann, component="Doc", actor="ann") == [mine[2]]
    assert audit(api, ann, operation="update", actor="ann") == [mine[1]]
    assert audit(api, ann, record=p["id"]) == mine[:2]
    assert audit(api, ann, record=theirs["id"]) == []  # another tenant's record: nothing
    assert audit(api, ann, actor="ann", limit=1, offset=1) == [mine[1]]
    assert audit(api, ann, actor="ann", since=mine[2]["at"]) == [mine[2]]
    assert audit(api, ann, actor="ann", until=mine[2]["at"]) == mine[:2]

    root = admin(api)
    both = {e["record_id"] for e in audit(api, root, limit=500)}
    assert {p["id"], theirs["id"]} <= both
    r = api.get("/db/audit", ann, params={"component": "Nope"})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"


def test_diagrams(api: Api) -> None:
    ann = api.callers.tenant("ann")
    r = api.get("/db/diagram.mmd", ann)
    assert r.status_code == 200, r.text
    assert r.text.startswith("erDiagram")
    assert "api_products_audit {" in r.text
    assert (
        "api_products_audit {"
        not in api.get("/db/diagram.mmd", ann, params={"history": "false"}).text
    )
    if shutil.which("dot") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("graphviz (dot) is not installed")
        pytest.skip("graphviz (dot) is not installed: apt-get install graphviz")
    svg = api.get("/db/diagram.svg", ann)
    assert svg.status_code == 200, svg.text
    assert svg.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    assert b"api_products" in svg.content


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/db/export.zip"),
        ("POST", "/db/import"),
        ("GET", "/db/backup"),
        ("POST", "/db/restore"),
    ],
)
def test_file_endpoints_need_the_admin_role(api: Api, method: str, path: str) -> None:
    ann = api.callers.tenant("ann", admin=False)
    files = {"file": ("x.zip", b"PK\x03\x04junk")} if method == "POST" else None
    r = api.request(method, path, ann, files=files)
    assert r.status_code == 403, r.text
    assert r.json()["type"] == "urn:storied:problem:forbidden"


def test_export_streams_a_zip_with_every_table(api: Api) -> None:
    t = uuid4()
    ann = api.callers.tenant("ann", t)
    api.post("/api_products", ann, json=product(f"E-{t.hex[:6]}"))
    r = api.get("/db/export.zip", admin(api))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert "content-length" not in r.headers  # streamed, not assembled first
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        text = zf.read("api_products.csv").decode()
    rows = {e["name"]: e["rows"] for e in manifest["tables"]}
    assert rows["api_products"] == text.count("\n") - 1
    assert f"E-{t.hex[:6]}" in text
    assert {"api_products_audit", "api_docs", "api_notes"} <= set(rows)


def test_import_validates_then_records_an_import_by_the_caller(api: Api, tmp_path: Path) -> None:
    t = uuid4()
    path = tmp_path / "in.zip"
    with Database(f"sqlite:///{tmp_path}/source.db") as source:
        source.create_all([Product])
        repo = source.repository(Product, tenant_id=t, actor="elsewhere")
        made = repo.create_many([Product(sku=f"I-{i}", name="n", price="1.00") for i in range(3)])
        export_csv(source, path, [Product])
    root = admin(api)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(bad, "w") as out:
        for name in zf.namelist():
            data = zf.read(name)
            out.writestr(name, data.replace(b"1.00", b"lots") if name.endswith(".csv") else data)
    dry = api.post(
        "/db/import",
        root,
        files={"file": ("bad.zip", bad.read_bytes())},
        params={"dry_run": "true"},
    )
    assert dry.status_code == 200, dry.text
    assert [e["field"] for e in dry.json()["errors"]] == ["price"] * 3
    refused = api.post("/db/import", root, files={"file": ("bad.zip", bad.read_bytes())})
    assert refused.status_code == 422, refused.text
    reader = api.callers.tenant("reader", t)
    assert api.get("/api_products", reader).json()["items"] == []  # nothing written

    r = api.post("/db/import", root, files={"file": ("in.zip", path.read_bytes())})
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == {"Product": 3}
    history = api.get(f"/api_products/{made[0].id}/history", reader).json()["items"]
    assert [(h["operation"], h["actor"]) for h in history] == [("import", "root")]
    assert [e["operation"] for e in audit(api, reader, record=str(made[0].id))] == ["import"]


@pytest.mark.parametrize("portable", [True, False], ids=["portable", "native"])
def test_backup_then_restore_dry_run_and_for_real(api: Api, portable: bool) -> None:
    tools = {"postgresql": "pg_dump", "mysql": "mariadb-dump"}.get(api.backend)
    if not portable and tools and shutil.which(tools) is None:
        pytest.skip(f"{tools} is not installed")
    t = uuid4()
    ann, root = api.callers.tenant("ann", t), admin(api)
    kept = api.post("/api_notes", ann, json={"text": f"kept {t}"}).json()
    r = api.get("/db/backup", root, params={"portable": str(portable).lower()})
    assert r.status_code == 200, r.text
    blob = r.content
    later = api.post("/api_notes", ann, json={"text": f"later {t}"}).json()

    dry = api.post("/db/restore", root, files={"file": ("b", blob)}, params={"dry_run": "true"})
    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True
    assert dry.json()["checks"]
    assert api.get(f"/api_notes/{later['id']}", ann).status_code == 200  # nothing switched

    name = f"storied_h{uuid.uuid4().hex[:10]}"
    params = {} if api.backend == "sqlite" else {"into": name}
    done = api.post("/db/restore", root, files={"file": ("b", blob)}, params=params)
    try:
        assert done.status_code == 200, done.text
        assert done.json()["dry_run"] is False
        if api.backend == "sqlite":  # the live file was switched
            assert api.get(f"/api_notes/{kept['id']}", ann).status_code == 200
            assert api.get(f"/api_notes/{later['id']}", ann).status_code == 404
            assert done.json()["previous"].startswith("api.before-restore-")
        else:  # the data went into the new database, which the report names
            assert done.json()["target"].endswith(f"/{name}")
            url = sa.make_url(SERVERS[api.backend]).set(database=name)
            with Database(url) as restored:
                notes = restored.repository(Note, unscoped=True)
                texts = {n.text for n in notes.query().all()}
            assert f"kept {t}" in texts
            assert f"later {t}" not in texts
    finally:
        if api.backend != "sqlite":
            engine = sa.create_engine(
                sa.make_url(SERVERS[api.backend]), isolation_level="AUTOCOMMIT"
            )
            with engine.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            engine.dispose()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "tampered"])
def test_a_bad_upload_is_refused_and_the_live_database_is_unchanged(api: Api, damage: str) -> None:
    root = admin(api)
    blob = api.get("/db/backup", root, params={"portable": "true"}).content
    if damage == "truncated":
        blob = blob[: len(blob) // 2]
    elif damage == "garbage":
        blob = os.urandom(4096)
    else:
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            members = {n: zf.read(n) for n in zf.namelist()}
        target = next(n for n in members if n != "manifest.json" and members[n])
        members[target] = members[target][:-1] + bytes([members[target][-1] ^ 1])
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for n, data in members.items():
                zf.writestr(n, data)
        blob = out.getvalue()
    before = manifest_of(api, root)
    params = {} if api.backend == "sqlite" else {"into": f"storied_x{uuid.uuid4().hex[:8]}"}
    r = api.post("/db/restore", root, files={"file": ("b.zip", blob)}, params=params)
    assert r.status_code == 422, r.text
    assert r.json()["type"] == "urn:storied:problem:restore-refused"
    assert manifest_of(api, root) == before


def test_restore_cannot_skip_verification(api: Api) -> None:
    r = api.post(
        "/db/restore", admin(api), files={"file": ("b", b"x")}, params={"integrity_check": "false"}
    )
    assert r.status_code == 422
    assert "always verifies" in r.json()["detail"]


def test_restore_into_a_server_names_a_new_database(api: Api) -> None:
    if api.backend == "sqlite":
        pytest.skip("servers only: SQLite restores by switching files")
    root = admin(api)
    blob = api.get("/db/backup", root, params={"portable": "true"}).content
    r = api.post("/db/restore", root, files={"file": ("b.zip", blob)})
    assert r.status_code == 422, r.text
    assert "into=NAME" in r.json()["detail"]


@pytest.mark.parametrize("mode", ["http", "asgi"])
def test_health_of_an_unreachable_server_is_503(mode: str) -> None:
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    url = f"postgresql://postgres@127.0.0.1:{port}/nowhere"
    db: Database | AsyncDatabase = Database(url) if mode == "http" else AsyncDatabase(url)
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(db_router(db, models=[Note], auth=lambda: Principal(actor="probe")))
    if mode == "http":
        with served(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            r = client.get("/db/health")
    else:
        with in_process(app) as (loop, client):
            r = loop.run(client.get("/db/health"))
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["status"] == "unhealthy"
    assert "unreachable" in body["checks"][0]["detail"]
