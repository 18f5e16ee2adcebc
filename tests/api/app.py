"""The app the HTTP tests serve: three models (one per history strategy) and a bearer auth."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from fastapi import Depends, FastAPI
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from storied import AsyncDatabase, Database, Field, Model
from storied.api import Principal, ProblemError, bootstrap, crud_router
from storied.api.problems import UNAUTHORIZED


class Color(enum.Enum):
    red = "red"
    blue = "blue"


class Product(Model, table="api_products", history="copy_on_change"):
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    color: Color | None = None
    stock: int = Field(default=0, ge=0, le=1_000_000)


class Doc(Model, table="api_docs", history="scd2"):
    title: str = Field(max_length=200)
    score: float = Field(default=0.0, ge=-1e9, le=1e9)
    published: dt.date | None = None


class Note(Model, table="api_notes", primary_key="int"):
    text: str = Field(max_length=500)
    pinned: bool = False


MODELS: list[type[Model]] = [Product, Doc, Note]


class Callers:
    """Bearer tokens → principals; tests add their own tenants' callers."""

    def __init__(self) -> None:
        self.tokens: dict[str, Principal] = {}

    def add(self, token: str, principal: Principal) -> str:
        self.tokens[token] = principal
        return token

    def tenant(self, actor: str, tenant: UUID | None = None, **extra: Any) -> str:
        """A caller in a (new) tenant of its own; returns its token."""
        principal = Principal(actor=actor, tenant_id=tenant or uuid4(), **extra)
        return self.add(f"{actor}-{uuid4().hex[:8]}", principal)


def make_app(db: Database | AsyncDatabase, callers: Callers, **options: Any) -> FastAPI:
    bearer = HTTPBearer(auto_error=False)

    def auth(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
        principal = callers.tokens.get(creds.credentials) if creds else None
        if principal is None:
            raise ProblemError(UNAUTHORIZED, "unknown bearer token")
        return principal

    app = FastAPI(title="storied test app")
    strict = crud_router(
        Product, db=db, auth=auth, prefix="/strict/products", require_if_match=True
    )
    return bootstrap(app, db, models=MODELS, auth=auth, routers=[strict], db_router=True, **options)
