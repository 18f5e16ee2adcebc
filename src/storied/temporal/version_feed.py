"""Change sets of scd2 models, derived from their versions: one record's, or a tenant's feed.

scd2 keeps no audit rows: each version is one change set. Who made it is the version's
``updated_by``, when is its ``valid_from``, and what changed comes from comparing it with the
version before it: none (create), deleted now but not then (delete), the reverse (restore), or
the fields that differ (update). A purge removes every version, so it leaves nothing to list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa

from ..ops.requests import Exec, Operation, Statement
from ..query.scoping import tenant_predicates
from ..tenancy.scope import Scope, shaped
from .records import ChangeOperation, ChangeSet, Version
from .versions import RECORDED_AS

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel
    from ..models.base import Model


def version_change(
    previous: Model | None, model: Model, at: dt.datetime, recorded_as: str | None = None
) -> ChangeSet:
    """The change set that turned ``previous`` (None: nothing yet) into ``model``; a first
    version may have been recorded as another operation than "create" ("import")."""
    fields = type(model).storied_spec().fields
    operation: ChangeOperation
    if previous is None:
        # storied wrote recorded_as itself (CreateOperation): a ChangeOperation by construction
        operation = cast(ChangeOperation, recorded_as or "create")
        changes = {f: (None, getattr(model, f)) for f in fields}
    elif model.deleted_at is not None and previous.deleted_at is None:
        operation, changes = "delete", {}
    elif model.deleted_at is None and previous.deleted_at is not None:
        operation, changes = "restore", {}
    else:
        operation = "update"
        changes = {
            f: (getattr(previous, f), getattr(model, f))
            for f in fields
            if getattr(previous, f) != getattr(model, f)
        }
    return ChangeSet(model.id, operation, model.updated_by, at, changes, version=model.version)


def version_changes(versions: Sequence[Version[Any]]) -> list[ChangeSet]:
    """Change sets of one record's chain, oldest first."""
    out: list[ChangeSet] = []
    previous: Model | None = None
    for v in versions:
        out.append(version_change(previous, v.model, v.valid_from, v.recorded_as))
        previous = v.model
    return out


def _operation_predicate(
    operation: str, t: sa.Table, prev: sa.FromClause
) -> sa.ColumnElement[bool]:
    """SQL for :func:`version_change`'s choice of operation, so the filter runs before LIMIT."""
    first = prev.c.row_id.is_(None)
    deleted, was_deleted = t.c.deleted_at.is_not(None), prev.c.deleted_at.is_not(None)
    if operation == "create":
        return sa.and_(first, t.c[RECORDED_AS].is_(None))
    if operation == "import":
        return t.c[RECORDED_AS] == "import"
    if operation == "delete":
        return sa.and_(~first, deleted, ~was_deleted)
    if operation == "restore":
        return sa.and_(~first, ~deleted, was_deleted)
    if operation == "update":
        same = sa.or_(sa.and_(deleted, was_deleted), sa.and_(~deleted, ~was_deleted))
        return sa.and_(~first, same)
    return sa.false()  # purge: a purged record has no versions left


def read_feed(
    mapped: MappedModel,
    scope: Scope,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
    operation: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> Operation[list[ChangeSet]]:
    """The scope's versions in time order (then write order), each with the change from its
    predecessor.

    One statement: each version is joined with the one before it (the unique (id, version)
    index finds it), and every filter — ``since``/``until`` on the version's start, ``actor``,
    ``operation`` and ``limit`` (versions, that is change sets) — runs in the database.
    """
    filters = {"since": since, "until": until, "actor": actor}
    present = tuple(k for k, v in filters.items() if v is not None)
    params: dict[str, Any] = {**{f"_{k}": filters[k] for k in present}, **scope.params()}
    if limit is not None:
        params["_limit"] = limit
    n = len(mapped.columns)
    args = (mapped, scope.shape, present, operation, limit is not None, newest_first)
    result = yield Exec(Statement(feed_stmt, args), params, fetch=True)
    out: list[ChangeSet] = []
    for row in result.rows:
        model = mapped.to_model(row[:n])
        previous = None if row[n + 2] is None else mapped.to_model(row[n + 3 :])
        out.append(version_change(previous, model, row[n], row[n + 1]))
    return out


def feed_stmt(
    mapped: MappedModel,
    scope: Hashable,
    present: tuple[str, ...],
    operation: str | None,
    limited: bool,
    newest_first: bool,
) -> sa.Select[Any]:
    """Versions joined with their predecessors, filtered by the ``present`` filters."""
    t = mapped.table
    prev = t.alias("prev")
    starts = sa.bindparam("_since", type_=t.c.valid_from.type)
    ends = sa.bindparam("_until", type_=t.c.valid_from.type)
    ops = {
        "since": lambda: t.c.valid_from >= starts,
        "until": lambda: t.c.valid_from < ends,
        "actor": lambda: t.c.updated_by == sa.bindparam("_actor"),
    }
    where = [*tenant_predicates(mapped, shaped(scope)), *(ops[k]() for k in present)]
    if operation is not None:
        where.append(_operation_predicate(operation, t, prev))
    joined = t.outerjoin(prev, sa.and_(prev.c.id == t.c.id, prev.c.version == t.c.version - 1))
    before = [prev.c.row_id, *(prev.c[c.key] for c in mapped.columns)]
    stmt = (
        sa.select(*mapped.columns, t.c.valid_from, t.c[RECORDED_AS], *before)
        .select_from(joined)
        .where(*where)
        .order_by(*(o.desc() if newest_first else o for o in (t.c.valid_from, t.c.row_id)))
    )
    if limited:
        stmt = stmt.limit(sa.bindparam("_limit", type_=sa.Integer()))
    return stmt
