"""The app the history-browser tests serve: a copy_on_change, an scd2 and a plain model, bearer
auth with roles, the API and the UI (small pages, so paging shows with little data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from storied import AsyncDatabase, Database, Field, Model
from storied.api import Principal, ProblemError, bootstrap
from storied.api.problems import UNAUTHORIZED
from storied.ui import ui_router
from tests.api.app import Callers


class Tool(Model, table="ui_tools", history="copy_on_change"):
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    specs: dict[str, Any] = Field(default_factory=dict)


class Page(Model, table="ui_pages", history="scd2"):
    title: str = Field(max_length=200)
    body: str = ""
    score: float = 0.0
    published: dt.date | None = None


class Memo(Model, table="ui_memos"):
    text: str = Field(max_length=500)


MODELS: list[type[Model]] = [Tool, Page, Memo]
PAGE_SIZE = 5
SECRET = "test-secret"


def make_app(db: Database | AsyncDatabase, callers: Callers) -> FastAPI:
    bearer = HTTPBearer(auto_error=False)

    def auth(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
        principal = callers.tokens.get(creds.credentials) if creds else None
        if principal is None:
            raise ProblemError(UNAUTHORIZED, "unknown bearer token")
        return principal

    app = FastAPI(title="storied UI test app")
    ui = ui_router(db, models=MODELS, auth=auth, page_size=PAGE_SIZE, secret=SECRET)
    return bootstrap(app, db, models=MODELS, auth=auth, routers=[ui])
