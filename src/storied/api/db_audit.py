"""``GET /db/audit``: the change feed across models, merged oldest first, offset-paged.

Each model with history answers through its repository, in the caller's scope (an admin's is
unscoped), so tenancy holds as on every read. A page of ``offset + limit`` entries needs at
most that many change sets from each model; the core's ``changes(limit=)`` counts audit rows
(one per changed field), so each model is asked for enough rows to hold one more change set
than that, and a last one that may be cut is dropped. ``record`` reads that record's history
instead (one record's changes are few).
"""

# No ``from __future__ import annotations``: FastAPI reads the response model's annotations.

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from storied import ChangeSet, Model, ValidationError

from .history import ChangeSetOut, change_set_out
from .principal import AnyDatabase, AnyRepository, Principal


class AuditEntry(ChangeSetOut):
    """One change set, with the model (component) it belongs to."""

    component: str


class AuditPage(BaseModel):
    items: list[AuditEntry]
    offset: int
    limit: int


@dataclass(frozen=True, slots=True)
class Filters:
    component: str | None
    record: str | None
    actor: str | None
    operation: str | None
    since: dt.datetime | None
    until: dt.datetime | None
    limit: int
    offset: int


def audited(models: list[type[Model]]) -> list[type[Model]]:
    return [m for m in models if m.storied_spec().options.history != "none"]


def scoped(db: AnyDatabase, caller: Principal, model: type[Model]) -> AnyRepository:
    """The caller's repository; an admin reads every tenant."""
    if caller.has_role("admin") and model.storied_spec().options.tenant:
        return db.repository(model, unscoped=True, actor=caller.actor)
    return caller.repository(db, model)


async def model_changes(call: Any, repo: AnyRepository, f: Filters) -> list[ChangeSet]:
    """Up to ``offset + limit`` of one model's change sets that pass the filters."""
    want = f.offset + f.limit
    if f.record is not None:
        try:
            sets: list[ChangeSet] = await call(repo.history, f.record)
        except ValidationError:  # not an id of this model's kind
            return []
        return [cs for cs in sets if _passes(cs, f)][:want]
    per_set = max(1, len(repo.model.storied_spec().fields))
    budget = (want + 1) * per_set
    sets = await call(
        repo.changes,
        since=f.since,
        until=f.until,
        actor=f.actor,
        operation=f.operation,
        limit=budget,
    )
    if sum(max(1, len(cs.changes)) for cs in sets) >= budget:
        sets = sets[:-1]  # the last change set may be missing fields past the limit
    return sets[:want]


def _passes(cs: ChangeSet, f: Filters) -> bool:
    return (
        (f.actor is None or cs.actor == f.actor)
        and (f.operation is None or cs.operation == f.operation)
        and (f.since is None or cs.at >= f.since)
        and (f.until is None or cs.at < f.until)
    )


def page(found: dict[str, list[ChangeSet]], f: Filters) -> AuditPage:
    """Every model's change sets merged by time, one page of them (a stable sort: ties keep
    each model's own write order, models in the router's order)."""
    merged = sorted(
        ((name, cs) for name, sets in found.items() for cs in sets), key=lambda e: e[1].at
    )
    window = merged[f.offset : f.offset + f.limit]
    items = [AuditEntry(component=name, **change_set_out(cs).model_dump()) for name, cs in window]
    return AuditPage(items=items, offset=f.offset, limit=f.limit)
