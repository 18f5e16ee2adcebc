"""What every page of the history browser shares: the models, the database, the templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storied import AsyncDatabase, Model
from storied.api import Principal
from storied.api.principal import AnyDatabase, AnyRepository

from . import diffs
from .csrf import Csrf


@dataclass(frozen=True, slots=True)
class ModelPage:
    """One model as the browser shows it."""

    model: type[Model]
    slug: str
    history: str
    tenant: bool
    fields: tuple[str, ...]
    text_fields: tuple[str, ...]

    @classmethod
    def of(cls, model: type[Model]) -> ModelPage:
        spec = model.storied_spec()
        names = tuple(spec.fields)
        text = tuple(n for n, f in spec.fields.items() if f.kind == "str")
        slug = spec.options.table
        return cls(model, slug, spec.options.history, spec.options.tenant, names, text)

    @property
    def name(self) -> str:
        return self.model.__name__

    @property
    def versioned(self) -> bool:
        return self.history == "scd2"

    @property
    def audited(self) -> bool:
        return self.history != "none"


@dataclass
class Ui:
    """The browser's state: built once by :func:`storied.ui.ui_router`."""

    db: AnyDatabase
    models: dict[str, ModelPage]
    csrf: Csrf
    revert_role: str
    restore_role: str
    page_size: int
    env: Environment = field(init=False)

    def __post_init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("storied.ui", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["moment"] = moment
        self.env.filters["show"] = diffs.show
        self.env.globals["diff"] = diffs.diff

    @classmethod
    def build(cls, db: AnyDatabase, models: Sequence[type[Model]], **options: Any) -> Ui:
        pages = [ModelPage.of(m) for m in models]
        return cls(db, {p.slug: p for p in pages}, **options)

    def repo(self, caller: Principal, page: ModelPage) -> AnyRepository:
        return caller.repository(self.db, page.model)

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Await an async repository's method; run a sync one in the thread pool."""
        if isinstance(self.db, AsyncDatabase):
            return await fn(*args, **kwargs)
        return await run_in_threadpool(fn, *args, **kwargs)

    def render(
        self,
        request: Request,
        caller: Principal | None,
        template: str,
        status: int = 200,
        **values: Any,
    ) -> HTMLResponse:
        html = self.env.get_template(template).render(
            request=request,
            caller=caller,
            models=list(self.models.values()),
            csrf=self.csrf.token(caller) if caller is not None else "",
            url=lambda route, /, **params: str(request.url_for(route, **params)),
            **values,
        )
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        return HTMLResponse(html, status_code=status, headers=headers)


def moment(value: dt.datetime | None) -> str:
    """A moment as people read it, in UTC to the microsecond."""
    if value is None:
        return "—"
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
