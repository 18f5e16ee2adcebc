"""The README's example app serves the history browser: records made through the API show up
at /ui with their timeline; and ``bootstrap(..., ui=True)`` mounts the same pages."""

from __future__ import annotations

import runpy
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from storied import AsyncDatabase
from storied.api import Principal, bootstrap
from tests.api.conftest import in_process, served
from tests.ui.app import MODELS, Tool

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
pytestmark = pytest.mark.sqlite


def test_the_example_app_serves_the_ui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    example = runpy.run_path(str(EXAMPLES / "http_app.py"), run_name="http_app")
    headers = {"X-User": "alice", "X-Tenant": str(example["DEMO_TENANT"])}
    with served(example["app"]) as base, httpx.Client(base_url=base) as client:
        body = {"sku": "A1", "name": "Anvil", "price": "9.99"}
        pid = client.post("/products", json=body, headers=headers).json()["id"]
        client.patch(f"/products/{pid}", json={"name": "Big Anvil"}, headers=headers)
        listed = client.get("/ui/products")
        assert listed.status_code == 200
        assert pid in listed.text
        page = client.get(f"/ui/products/{pid}").text
        assert "<ins>Big </ins>Anvil" in page
        assert "by alice" in page.replace('<span class="actor">', "").replace("</span>", "")


def test_bootstrap_mounts_the_ui_when_asked(tmp_path: Path) -> None:
    caller = Principal(actor="ann", tenant_id=uuid.uuid4())
    db = AsyncDatabase(f"sqlite+aiosqlite:///{tmp_path}/boot.db")
    app = bootstrap(FastAPI(), db, models=MODELS, auth=lambda: caller, sync_schema=True, ui=True)
    with in_process(app) as (loop, client):
        created = loop.run(client.post("/ui_tools", json={"sku": "B", "name": "n", "price": "1"}))
        assert created.status_code == 201
        page = loop.run(client.get(f"/ui/ui_tools/{created.json()['id']}"))
        assert page.status_code == 200
        assert Tool.__name__ in page.text
    plain = bootstrap(FastAPI(), db, models=MODELS, auth=lambda: caller)
    assert not any(getattr(r, "path", "").startswith("/ui") for r in plain.routes)
