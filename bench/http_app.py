"""The two sides of ``python -m bench http``, on one FastAPI app served by one uvicorn:
storied's generated router (``/gen/items``) and hand-written endpoints doing the same work
with asyncpg (``/raw/items``): the same auth dependency, tenant predicate, soft-delete
predicate, version bump, ETag, and Pydantic validation and JSON of the same model."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel

from storied import AsyncDatabase, uuid7
from storied.api import Principal, bootstrap, crud_router

from .models import StockNone

TENANT = uuid.UUID("8a280c2d-73f0-4861-b0aa-b1a82c6bf3f2")
ACTOR = "bench"
COLUMNS = (
    "id, tenant_id, version, created_at, created_by, updated_at, updated_by, deleted_at, "
    "deleted_by, sku, name, price, stock"
)


def auth() -> Principal:
    return Principal(actor=ACTOR, tenant_id=TENANT)


class StockIn(BaseModel):
    sku: str
    name: str
    price: Decimal
    stock: int = 0


class StockPatch(BaseModel):
    sku: str | None = None
    name: str | None = None
    price: Decimal | None = None
    stock: int | None = None


class RawPage(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None = None
    items: list[StockNone]


def _json(row: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    item = StockNone.model_validate(dict(row))
    return Response(
        item.model_dump_json(),
        status_code=status,
        media_type="application/json",
        headers={"ETag": f'"{item.version}"', **(headers or {})},
    )


def make_app(storied_url: str, raw_dsn: str) -> FastAPI:
    db = AsyncDatabase(storied_url)
    pool: dict[str, asyncpg.Pool] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool["p"] = await asyncpg.create_pool(raw_dsn, min_size=2, max_size=10)
        try:
            yield
        finally:
            await pool["p"].close()

    app = FastAPI(lifespan=lifespan)
    router = crud_router(StockNone, db=db, auth=auth, prefix="/gen/items", history=False)
    bootstrap(app, db, models=[], auth=auth, routers=[router])

    @app.get("/raw/items/{item_id}")
    async def raw_get(item_id: uuid.UUID) -> Response:
        caller = auth()
        row = await pool["p"].fetchrow(
            f"SELECT {COLUMNS} FROM stock_none "
            "WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL",
            item_id,
            caller.tenant_id,
        )
        if row is None:
            return Response(status_code=404)
        return _json(row)

    @app.get("/raw/items")
    async def raw_list(limit: int = 50, offset: int = 0) -> Response:
        caller = auth()
        async with pool["p"].acquire() as conn:
            total = await conn.fetchval(
                "SELECT count(*) FROM stock_none WHERE tenant_id = $1 AND deleted_at IS NULL",
                caller.tenant_id,
            )
            rows = await conn.fetch(
                f"SELECT {COLUMNS} FROM stock_none WHERE tenant_id = $1 AND deleted_at IS NULL "
                "ORDER BY id LIMIT $2 OFFSET $3",
                caller.tenant_id,
                limit,
                offset,
            )
        items = [StockNone.model_validate(dict(r)) for r in rows]
        page = RawPage(total=total, limit=limit, offset=offset, items=items)
        return Response(page.model_dump_json(), media_type="application/json")

    @app.post("/raw/items", status_code=201)
    async def raw_create(request: Request, body: StockIn) -> Response:
        caller = auth()
        now = dt.datetime.now(dt.UTC)
        row = {
            "id": uuid7(),
            "tenant_id": caller.tenant_id,
            "version": 1,
            "created_at": now,
            "created_by": caller.actor,
            "updated_at": now,
            "updated_by": caller.actor,
            "deleted_at": None,
            "deleted_by": None,
            **body.model_dump(),
        }
        await pool["p"].execute(
            "INSERT INTO stock_none (id, tenant_id, version, created_at, created_by, "
            "updated_at, updated_by, sku, name, price, stock) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            row["id"], row["tenant_id"], 1, now, caller.actor, now, caller.actor,
            row["sku"], row["name"], row["price"], row["stock"],
        )  # fmt: skip
        location = str(request.url_for("raw_get", item_id=str(row["id"])))
        return _json(row, 201, {"Location": location})

    @app.patch("/raw/items/{item_id}")
    async def raw_patch(item_id: uuid.UUID, body: StockPatch) -> Response:
        caller = auth()
        changes = body.model_dump(exclude_unset=True)
        names = list(changes)
        sets = ", ".join(f"{n} = ${i + 5}" for i, n in enumerate(names))
        row = await pool["p"].fetchrow(
            f"UPDATE stock_none SET {sets}, version = version + 1, updated_at = $3, "
            "updated_by = $4 WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL "
            f"RETURNING {COLUMNS}",
            item_id,
            caller.tenant_id,
            dt.datetime.now(dt.UTC),
            caller.actor,
            *changes.values(),
        )
        if row is None:
            return Response(status_code=404)
        return _json(row)

    return app


if __name__ == "__main__":
    import sys

    import uvicorn

    storied_url, dsn, port = sys.argv[1:4]
    uvicorn.run(
        make_app(storied_url, dsn), host="127.0.0.1", port=int(port), log_level="warning",
        access_log=False,
    )  # fmt: skip
