"""The examples the README points at run, twice on the same file (schema sync is idempotent)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.sqlite
def test_quickstart_runs_and_tells_the_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["quickstart.py", str(tmp_path / "shop.db")])
    for _ in range(2):
        runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert out.count("history  update by alice: price: 9.99 → 12.50") == 2
    assert out.count("isolated another tenant sees no such product") == 2


@pytest.mark.sqlite
def test_http_example_serves_what_its_docstring_curls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    from tests.api.conftest import served

    monkeypatch.chdir(tmp_path)
    example = runpy.run_path(str(EXAMPLES / "http_app.py"), run_name="http_app")
    headers = {"X-User": "alice", "X-Tenant": "8a280c2d-73f0-4861-b0aa-b1a82c6bf3f2"}
    with served(example["app"]) as base, httpx.Client(base_url=base, headers=headers) as client:
        body = {"sku": "A1", "name": "Anvil", "price": "9.99"}
        created = client.post("/products", json=body)
        assert created.status_code == 201
        pid = created.json()["id"]
        assert client.get("/products", params={"price__lt": "50"}).json()["total"] == 1
        match = {"If-Match": '"1"'}
        changed = client.patch(f"/products/{pid}", json={"price": "12.50"}, headers=match)
        assert changed.headers["etag"] == '"2"'
        history = client.get(f"/products/{pid}/history").json()["items"]
        assert [(h["operation"], h["actor"]) for h in history] == [
            ("create", "alice"),
            ("update", "alice"),
        ]
    assert (tmp_path / "shop_http.db").exists()
