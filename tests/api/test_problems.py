"""The problem table is exhaustive; server faults, lost databases and dev auth answer as
documented (no database server needed: SQLite files or none)."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

import storied
from storied import AsyncDatabase, ConfigurationError, DatabaseTimeout, errors
from storied.api import PROBLEMS, Principal, bootstrap, crud_router, dev_header_auth
from storied.api.problems import install_problem_handlers, problem_type
from tests.api.app import MODELS, Product


def test_every_storied_error_has_its_own_problem_entry() -> None:
    classes = {getattr(errors, name) for name in errors.__all__}
    assert classes == set(PROBLEMS)
    types = {(p.status, p.slug) for p in PROBLEMS.values()}
    assert all(100 <= status < 600 for status, _ in types)


def test_client_errors_and_retries_are_what_the_docs_say() -> None:
    expect = {
        "NotFoundError": (404, "not-found"),
        "ValidationError": (422, "validation-error"),
        "UnknownFieldError": (422, "unknown-field"),
        "ConflictError": (409, "conflict"),
        "TenantViolation": (403, "tenant-violation"),
        "DatabaseTimeout": (503, "timeout"),
        "OperationalError": (503, "unavailable"),
    }
    for name, (status, slug) in expect.items():
        kind = PROBLEMS[getattr(storied, name)]
        assert (kind.status, kind.slug) == (status, slug), name
    assert PROBLEMS[DatabaseTimeout].retry


def test_a_subclass_without_an_entry_gets_its_parents_problem() -> None:
    class Custom(storied.NotFoundError):
        pass

    assert problem_type(Custom("X", 1)).slug == "not-found"


def call(app: FastAPI, method: str, url: str, **kw: object) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.request(method, url, **kw)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_a_database_that_is_not_connected_answers_503_with_retry_after(tmp_path: Path) -> None:
    app = FastAPI()
    install_problem_handlers(app)
    db = AsyncDatabase(f"sqlite+aiosqlite:///{tmp_path}/x.db")  # never connected
    app.include_router(crud_router(Product, db=db, auth=lambda: Principal("a", tenant_id=uuid4())))
    r = call(app, "GET", "/api_products")
    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"
    assert r.headers["content-type"] == "application/problem+json"
    assert "sqlite" not in r.text  # nothing about the server leaks


def test_a_server_fault_hides_its_message(tmp_path: Path) -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise ConfigurationError("secret internals")

    r = call(app, "GET", "/boom")
    assert r.status_code == 500
    assert r.json()["type"] == "urn:storied:problem:internal"
    assert "secret" not in r.text


def test_bootstrap_needs_an_auth_dependency(tmp_path: Path) -> None:
    db = AsyncDatabase(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    with pytest.raises(ConfigurationError):
        bootstrap(FastAPI(), db, models=MODELS, auth=None)  # type: ignore[arg-type]
    params = inspect.signature(bootstrap).parameters
    assert params["auth"].default is inspect.Parameter.empty  # never implicit


def test_dev_header_auth_is_explicit_and_marked_in_openapi(tmp_path: Path) -> None:
    db = AsyncDatabase(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    app = bootstrap(FastAPI(), db, models=MODELS, auth=dev_header_auth(), sync_schema=True)
    schemes = app.openapi()["components"]["securitySchemes"]
    assert set(schemes) == {"DevUser", "DevTenant", "DevAdmin"}
    assert all("DEVELOPMENT ONLY" in s["description"] for s in schemes.values())

    async def go() -> list[httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                anonymous = await client.get("/api_products")
                headers = {"X-User": "dev", "X-Tenant": "8a280c2d-73f0-4861-b0aa-b1a82c6bf3f2"}
                body = {"sku": "D1", "name": "dev", "price": "1.00"}
                created = await client.post("/api_products", json=body, headers=headers)
                purge = await client.delete(
                    f"/api_products/{created.json()['id']}",
                    params={"purge": "true"},
                    headers={**headers, "X-Admin": "true"},  # not honoured unless asked for
                )
                return [anonymous, created, purge]

    anonymous, created, purge = asyncio.run(go())
    assert anonymous.status_code == 401
    assert created.status_code == 201
    assert created.json()["created_by"] == "dev"
    assert purge.status_code == 403
