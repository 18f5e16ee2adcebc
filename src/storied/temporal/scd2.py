"""``history="scd2"``: immutable versions with time travel.

An update closes the current version and inserts the next in one transaction. Where UPDATE has
RETURNING, the close returns the old version, so an update is two statements; the close's WHERE
clause also checks the expected version, that something really changes, and that the clock has
moved past the current version's start — when any of these fails, the slow path reads the
current version under lock and decides (NotFound, ConflictError, nothing to do, or a start one
microsecond after the previous one when the clock stepped back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import NotFoundError
from ..mapping.registry import MappedModel
from ..ops.changes import event
from ..ops.requests import Begin, Exec, Operation, Statement, load_of
from ..query.scoping import by_id, tenant_predicates
from ..tenancy.scope import Scope, shaped
from . import versions as v
from .audit import FieldChange
from .base import OpContext, Window
from .copy_on_change import diff
from .current import check_version, finish_many, new_rows
from .none import NoHistory, check_restorable, created_events, scope_tenant
from .partition_prune import drop_old_partitions
from .version_feed import read_feed, version_changes
from .version_writes import (
    close,
    close_many,
    insert_stmt,
    insert_versions,
    lock_current_many,
    next_version,
    next_versions,
    reopen,
    reread,
)

if TYPE_CHECKING:
    from ..models.base import Model


class Scd2(NoHistory):
    name = "scd2"

    # --- writes -----------------------------------------------------------------------------
    def create(self, ctx: OpContext, models: Sequence[Model]) -> Operation[list[Model]]:
        mapped = ctx.mapped
        rows = new_rows(ctx, models)
        yield Begin()
        identity = mapped.identity_table
        assert identity is not None
        names = (
            ("id", "tenant_id", "created_at")
            if mapped.spec.options.tenant
            else ("id", "created_at")
        )
        yield Exec(
            Statement(insert_stmt, (mapped, "identity", names)),
            [{n: r[n] for n in names} for r in rows],
            many=True,
            load=load_of(identity, names),
        )
        for row in rows:
            row.update(valid_from=ctx.now, valid_to=None)
            if ctx.operation != "create":
                row[v.RECORDED_AS] = ctx.operation
        yield from insert_versions(ctx, rows)
        created = finish_many(ctx, models, rows)
        if any(set(mapped.names) - set(r) for r in rows):
            # a server default filled a field: read the rows back as stored
            created = yield from reread(ctx, [m.id for m in created])
        if ctx.events is not None:
            ctx.events += created_events(ctx, created, keeps_old=True)
        return created

    def update(
        self, ctx: OpContext, id: Any, changes: Mapping[str, Any], expected_version: int | None
    ) -> Operation[Model]:
        yield Begin()
        fast = ctx.returning.update and bool(changes)
        if fast:
            old = yield from self._close_if_changed(ctx, id, changes, expected_version)
            if old is not None and diff(old, changes):
                return (yield from next_version(ctx, old, changes, ctx.now))
            if old is not None:  # SQL saw JSON text differ, Python sees equal values: undo
                yield from reopen(ctx, id)
                return old
        current = yield from v.lock_current(
            ctx.mapped, ctx.scope, id, "live", ctx.caps.row_locks, identity_locked=fast
        )
        check_version(current.model, expected_version)
        changed = diff(current.model, changes)
        if not changed:
            return current.model
        at = yield from close(ctx, current)
        return (
            yield from next_version(
                ctx, current.model, {n: new for n, (_, new) in changed.items()}, at
            )
        )

    def _close_if_changed(
        self, ctx: OpContext, id: Any, changes: Mapping[str, Any], expected: int | None
    ) -> Operation[Model | None]:
        """Close the current version if it really changes; returns the version closed."""
        mapped = ctx.mapped
        names = tuple(sorted(changes))
        stored = mapped.spec.storage_values(dict(changes))
        params = {f"v_{n}": stored[n] for n in names}
        params.update(_id=id, _now=ctx.now, **ctx.scope.params())
        if expected is not None:
            params["_expected"] = expected
        args = (mapped, ctx.scope.shape, names, expected is not None, ctx.caps.row_locks)
        result = yield Exec(Statement(close_if_changed_stmt, args), params, fetch=True)
        return mapped.to_model(result.rows[0]) if result.rows else None

    def update_many(
        self, ctx: OpContext, changes: Mapping[Any, Mapping[str, Any]]
    ) -> Operation[list[Model]]:
        yield Begin()
        current = yield from lock_current_many(ctx, list(changes), "live")
        todo = []
        for i, c in changes.items():
            changed = diff(current[i].model, c)
            if changed:
                todo.append((current[i], {n: new for n, (_, new) in changed.items()}))
        moments = yield from close_many(ctx, [lock for lock, _ in todo])
        items = [(lock.model, c, at) for (lock, c), at in zip(todo, moments, strict=True)]
        written = yield from next_versions(ctx, items)
        new = {m.id: m for m in written}
        return [new.get(i, current[i].model) for i in changes]

    def delete_many(self, ctx: OpContext, ids: Sequence[Any]) -> Operation[None]:
        yield Begin()
        current = yield from lock_current_many(ctx, ids, "any")
        live = [current[i] for i in dict.fromkeys(ids) if current[i].model.deleted_at is None]
        moments = yield from close_many(ctx, live)
        items: list[tuple[Model, Mapping[str, Any], dt.datetime]] = [
            (lock.model, {}, at) for lock, at in zip(live, moments, strict=True)
        ]
        yield from next_versions(ctx, items, deleted=True)

    def delete(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[None]:
        yield Begin()
        current = yield from v.lock_current(ctx.mapped, ctx.scope, id, "any", ctx.caps.row_locks)
        check_version(current.model, expected_version)
        if current.model.deleted_at is not None:
            return  # already deleted: keep the first deletion
        at = yield from close(ctx, current)
        yield from next_version(ctx, current.model, {}, at, deleted=True)

    def restore(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[Model]:
        check_restorable(ctx.mapped)  # scd2 needs soft delete, so for uniformity only
        yield Begin()
        current = yield from v.lock_current(ctx.mapped, ctx.scope, id, "any", ctx.caps.row_locks)
        check_version(current.model, expected_version)
        if current.model.deleted_at is None:
            return current.model
        at = yield from close(ctx, current)
        return (yield from next_version(ctx, current.model, {}, at))

    def purge(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[None]:
        """Remove every version and the identity row (foreign keys cascade the versions)."""
        mapped = ctx.mapped
        yield Begin()
        if expected_version is not None:  # the identity holds no version: check under lock
            current = yield from v.lock_current(mapped, ctx.scope, id, "any", ctx.caps.row_locks)
            check_version(current.model, expected_version)
        statement = Statement(purge_identity_stmt, (mapped, ctx.scope.shape))
        result = yield Exec(statement, {"_id": id, **ctx.scope.params()})
        if result.rowcount == 0:
            raise NotFoundError(mapped.model_name, id)
        if ctx.events is not None:
            ctx.events.append(event(ctx, "purge", id, scope_tenant(ctx), {}))

    def revert(
        self, ctx: OpContext, id: Any, to_version: int, expected_version: int | None = None
    ) -> Operation[Model]:
        """Write a new version whose fields equal version ``to_version``'s; with
        ``expected_version``, only over that current version (checked as ``update`` checks)."""
        chain = yield from v.chain(ctx.mapped, ctx.scope, id)
        target = next((x for x in chain if x.number == to_version), None)
        if target is None:
            raise NotFoundError(ctx.mapped.model_name, f"{id} version {to_version}")
        values = {n: getattr(target.model, n) for n in ctx.mapped.spec.fields}
        return (yield from self.update(ctx, id, values, expected_version))

    # --- reads ------------------------------------------------------------------------------
    def versions(
        self, mapped: MappedModel, scope: Scope, id: Any, window: Window | None = None
    ) -> Operation[list[v.Version[Any]]]:
        return (yield from v.chain(mapped, scope, id, window))

    def compare_versions(
        self, mapped: MappedModel, scope: Scope, id: Any, a: int, b: int
    ) -> Operation[dict[str, tuple[Any, Any]]]:
        chain = {x.number: x.model for x in (yield from v.chain(mapped, scope, id))}
        for number in (a, b):
            if number not in chain:
                raise NotFoundError(mapped.model_name, f"{id} version {number}")
        return diff(chain[a], {n: getattr(chain[b], n) for n in mapped.spec.fields})

    def get_as_of(
        self, mapped: MappedModel, scope: Scope, id: Any, moment: dt.datetime, include_deleted: bool
    ) -> Operation[Model]:
        return (
            yield from v.get_as_of(mapped, scope, id, moment, "any" if include_deleted else "live")
        )

    def history(
        self, mapped: MappedModel, scope: Scope, id: Any, window: Window | None = None
    ) -> Operation[list[Any]]:
        # a window reads one version more: the change of its oldest needs the one before it
        wider = None if window is None else Window(window.limit + 1, window.before)
        try:
            chain = yield from v.chain(mapped, scope, id, wider)
        except NotFoundError:
            return []
        sets = version_changes(chain)
        if chain and chain[0].number > 1:
            sets = sets[1:]
        return sets if window is None else sets[-window.limit :]

    def changes(
        self, mapped: MappedModel, scope: Scope, filters: Mapping[str, Any]
    ) -> Operation[list[Any]]:
        """The scope's change feed: one change set per version (see :mod:`.version_feed`)."""
        return (yield from read_feed(mapped, scope, **filters))

    def field_history(
        self, mapped: MappedModel, scope: Scope, id: Any, field: str
    ) -> Operation[list[Any]]:
        mapped.spec.check_writable(field)
        sets = yield from self.history(mapped, scope, id)
        return [
            FieldChange(cs.record_id, cs.operation, cs.actor, cs.at, old, new, version=cs.version)
            for cs in sets
            if field in cs.changes
            for old, new in (cs.changes[field],)
        ]

    def prune_history(
        self, mapped: MappedModel, scope: Scope, older_than: dt.datetime
    ) -> Operation[int]:
        """Delete closed versions that ended before ``older_than``; current ones stay. On a
        partitioned versions table, whole months before it are dropped first."""
        dropped = yield from drop_old_partitions(mapped, "versions", scope, older_than)
        statement = Statement(prune_stmt, (mapped, scope.shape))
        result = yield Exec(statement, {"_before": older_than, **scope.params()})
        return dropped + result.rowcount


def close_if_changed_stmt(
    mapped: MappedModel, scope: Hashable, names: tuple[str, ...], checked: bool, row_locks: bool
) -> sa.Update:
    """Close the current version of ``_id`` if one of ``names`` really changes, the clock
    moved past its start and (``checked``) it is at ``_expected``; return it."""
    t = mapped.table
    cols = mapped.field_columns
    stand_in = shaped(scope)
    now = sa.bindparam("_now", type_=t.c.valid_to.type)
    where = [
        *by_id(mapped, stand_in),
        t.c.valid_from < now,
        sa.or_(
            *(cols[n].is_distinct_from(sa.bindparam(f"v_{n}", type_=cols[n].type)) for n in names)
        ),
    ]
    if checked:
        where.append(t.c.version == sa.bindparam("_expected", type_=t.c.version.type))
    if row_locks:  # take the id's identity lock first, even if nothing matches
        where.insert(0, t.c.id == v.identity_lock(mapped, stand_in).scalar_subquery())
    return sa.update(t).where(*where).values({t.c.valid_to: now}).returning(*mapped.columns)


def purge_identity_stmt(mapped: MappedModel, scope: Hashable) -> sa.Delete:
    """Delete the identity row ``_id`` (its versions go with it by foreign key)."""
    identity = mapped.identity_table
    assert identity is not None
    return sa.delete(identity).where(
        identity.c.id == sa.bindparam("_id"),
        *tenant_predicates(mapped, shaped(scope), identity),
    )


def prune_stmt(mapped: MappedModel, scope: Hashable) -> sa.Delete:
    """Delete the scope's closed versions that ended before ``_before``."""
    t = mapped.table
    before = sa.bindparam("_before", type_=t.c.valid_to.type)
    return sa.delete(t).where(
        *tenant_predicates(mapped, shaped(scope)), t.c.valid_to.is_not(None), t.c.valid_to < before
    )
