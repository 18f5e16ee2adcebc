"""The OpenAPI document's names hang together: every link names an operation that exists, and
every operation's id is also its route's name (so ``url_for`` and the links agree)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from starlette.routing import NoMatchFound

from storied import AsyncDatabase
from storied.api.context import operation_id
from tests.api.app import Callers, make_app


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in doc["paths"].values() for op in item.values() if "operationId" in op]


_PARAMS = {"item_id": "3", "a": "1", "b": "2"}


def _path_for(app: Any, name: str, path: str) -> str:
    params = {k: v for k, v in _PARAMS.items() if "{" + k + "}" in path}
    try:
        return str(app.url_path_for(name, **params))
    except (NoMatchFound, AttributeError, TypeError):  # an {item_id:uuid} route
        params["item_id"] = UUID(int=3)  # type: ignore[assignment]
        return str(app.url_path_for(name, **params)).replace(str(UUID(int=3)), "3")


def test_links_and_route_names_use_the_operation_ids(tmp_path: Path) -> None:
    app = make_app(AsyncDatabase(f"sqlite+aiosqlite:///{tmp_path}/x.db"), Callers())
    doc = app.openapi()
    ids = {op["operationId"] for op in _operations(doc)}
    assert {"api_products.get", "api_docs.revert", "api_products.bulk_create"} <= ids
    links = [
        link
        for op in _operations(doc)
        for response in op["responses"].values()
        for link in response.get("links", {}).values()
    ]
    assert links
    assert {link["operationId"] for link in links} <= ids
    for path, item in doc["paths"].items():  # each operation id is its route's name
        for op in item.values():
            assert _path_for(app, op["operationId"], path) == path.format(**_PARAMS)
    assert operation_id("api_docs", "versions") in ids
