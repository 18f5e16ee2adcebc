"""The list pages: every model (with its record count), and one model's records."""

# No ``from __future__ import annotations``: FastAPI reads these endpoints' annotations.

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from storied import F, NotFoundError
from storied.api import AuthDependency, Principal
from storied.api.listing import conditions, filterable_fields, sort_orders, visibility

from .context import ModelPage, Ui
from .errors import guarded

#: the filter operators the records page offers, with their labels
FILTER_OPS = {
    "eq": "equals",
    "ne": "is not",
    "contains": "contains",
    "icontains": "contains (any case)",
    "startswith": "starts with",
    "lt": "less than",
    "le": "at most",
    "gt": "greater than",
    "ge": "at least",
    "isnull": "is empty (true/false)",
}


def page_of(ui: Ui, slug: str) -> ModelPage:
    page = ui.models.get(slug)
    if page is None:
        raise NotFoundError("model", slug)
    return page


def add_list_pages(router: APIRouter, ui: Ui, auth: AuthDependency) -> None:
    Caller = Annotated[Principal, Depends(auth)]

    @router.get("/", name="ui.models", summary="The models", include_in_schema=False)
    @guarded(ui)
    async def models(request: Request, caller: Caller) -> Response:
        counts = {}
        for slug, page in ui.models.items():
            counts[slug] = await ui.call(ui.repo(caller, page).count)
        return ui.render(request, caller, "models.html", counts=counts)

    @router.get("/{model}", name="ui.records", include_in_schema=False)
    @guarded(ui)
    async def records(
        request: Request,
        caller: Caller,
        model: str,
        q: Annotated[str, Query(max_length=200)] = "",
        field: str = "",
        op: str = "eq",
        value: Annotated[str, Query(max_length=200)] = "",
        sort: str = "",
        deleted: str = "exclude",
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        page = page_of(ui, model)
        repo = ui.repo(caller, page)
        where: list[Any] = []
        if field and value:
            where += conditions(page.model, [(field if op == "eq" else f"{field}__{op}", value)])
        if q and page.text_fields:
            term = F[page.text_fields[0]].icontains(q)
            for name in page.text_fields[1:]:
                term = term | F[name].icontains(q)
            where.append(term)
        query = visibility(repo.query().filter(*where), deleted).order_by(
            *sort_orders(page.model, sort or "-updated_at")
        )
        total = await ui.call(query.count)
        rows = await ui.call(query.limit(ui.page_size).offset(offset or None).all)
        return ui.render(
            request,
            caller,
            "records.html",
            page=page,
            rows=rows,
            total=total,
            offset=offset,
            size=ui.page_size,
            form={
                "q": q,
                "field": field,
                "op": op,
                "value": value,
                "sort": sort,
                "deleted": deleted,
            },
            sortable=sorted(filterable_fields(page.model)),
            ops=FILTER_OPS,
        )
