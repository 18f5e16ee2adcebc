"""storied over HTTP in one file: two models, generated routers, problem+json, ETags, and the
history browser at /ui.

Run (SQLite file shop_http.db in the current directory):

    python examples/http_app.py            # serves on http://127.0.0.1:8000 (docs at /docs)

or, with the same models, through the storied command (any database URL):

    storied serve --models examples.http_app --database-url sqlite:///shop_http.db \
                  --sync-schema --dev-auth

Then, as a caller of tenant 8a280c2d-… (development header auth: X-User and X-Tenant):

    H='-H X-User:alice -H X-Tenant:8a280c2d-73f0-4861-b0aa-b1a82c6bf3f2'
    curl -si $H -X POST localhost:8000/products -H 'content-type: application/json' \\
         -d '{"sku": "A1", "name": "Anvil", "price": "9.99"}'
    curl -s  $H 'localhost:8000/products?price__lt=50&sort=-price'
    curl -si $H -X PATCH localhost:8000/products/<id> -H 'If-Match: "1"' \\
         -H 'content-type: application/json' -d '{"price": "12.50"}'
    curl -s  $H localhost:8000/products/<id>/history

and open http://127.0.0.1:8000/ui/ in a browser: the history browser (docs/ui.md), as the
demo editor of that same tenant, so the records curl made are there, with their timelines.

Development auth believes any header, and the browser's demo login believes nothing at all: a
real app passes its own ``auth=`` dependency (see docs/http.md).
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from uuid import UUID

from fastapi import FastAPI

from storied import AsyncDatabase, Field, Model
from storied.api import Principal, bootstrap, dev_header_auth
from storied.ui import ui_router

DEMO_TENANT = UUID("8a280c2d-73f0-4861-b0aa-b1a82c6bf3f2")


class Product(Model, table="products", history="copy_on_change"):
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


class Page(Model, table="pages", history="scd2"):
    title: str = Field(max_length=200)
    body: str = ""


def demo_editor() -> Principal:
    """DEVELOPMENT ONLY: every browser is the demo tenant's editor (may revert and restore)."""
    return Principal(actor="demo", tenant_id=DEMO_TENANT, roles=frozenset({"editor"}))


def make_app(path: str = "shop_http.db") -> FastAPI:
    app = FastAPI(title="storied example shop", description="DEVELOPMENT auth: X-User/X-Tenant")
    db = AsyncDatabase(f"sqlite+aiosqlite:///{path}")
    models: list[type[Model]] = [Product, Page]
    ui = ui_router(db, models=models, auth=demo_editor)
    return bootstrap(app, db, models=models, auth=dev_header_auth(), sync_schema=True, routers=[ui])


app = make_app(os.environ.get("STORIED_EXAMPLE_DB", "shop_http.db"))

if __name__ == "__main__":
    import uvicorn

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    uvicorn.run(app, host="127.0.0.1", port=port)
