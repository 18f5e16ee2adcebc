"""What both repositories share: scope, actor, argument checks and the operation context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import ValidationError as PydanticValidationError

from ..errors import ConfigurationError, ValidationError
from ..mapping.types import decimal_fits, fit_values
from ..models.spec import validation_error
from ..models.validity import valid_copy
from ..models.values import text_problem
from ..ops.changes import PENDING
from ..query.expressions import Condition
from ..query.query import Query
from ..query.scoping import Visibility
from ..reads.plain import row_names
from ..temporal.audit import OPERATIONS
from ..temporal.base import CreateOperation, OpContext, Window
from ..temporal.scd2 import Scd2
from ..temporal.strategies import for_mapped
from ..tenancy.session import session_scope

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel
    from ..models.base import Model
    from ..tenancy.scope import Scope
    from .host import Host

M = TypeVar("M", bound="Model")


def keyset_pages(
    query: Query[Any], batch_size: int, mapped: MappedModel
) -> Generator[Query[Any], Any, None]:
    """The queries of successive pages: send each page's last row to get the next query.

    The query's offset skips rows before the first page; its limit caps the rows of all pages.
    A plain tuple row (``tuples()``) is read by position: ``mapped``'s declared fields, or the
    projection's items.
    """
    remaining = query.limit_value
    size = batch_size if remaining is None else min(batch_size, remaining)
    page = query.limit(size)
    if not any(o.field == "id" for o in page.orders):
        page = page.order_by("id")
    cursor = _tuple_cursor(page, mapped) if query.rows_as == "tuples" else None
    last = yield page
    page = page.offset(None)
    while True:
        if remaining is not None:
            remaining -= size
            size = min(batch_size, remaining)
        last = yield page.limit(size).after(last if cursor is None else cursor(last))


def _tuple_cursor(page: Query[Any], mapped: MappedModel) -> Any:
    """What picks a tuple row's order values (``after()`` takes a tuple as those values)."""
    names = row_names(mapped, page.projection)
    positions = [names.index(o.field) for o in page.orders]
    return lambda row: tuple(row[i] for i in positions)


def _visibility(include_deleted: bool) -> Visibility:
    return "any" if include_deleted else "live"


class RepositoryBase(Generic[M]):
    def __init__(self, db: Host, mapped: MappedModel, scope: Scope, actor: str | None) -> None:
        self.db = db
        self.mapped = mapped
        self.strategy = for_mapped(mapped)
        self.scope = scope
        # the actor is stamped on every row it writes (created_by …), the tenant compared
        for name, value in (("actor", actor), *(("tenant_id", t) for t in scope.tenant_ids)):
            problem = text_problem(value) if isinstance(value, str) else None
            if problem is not None:
                raise ValidationError(f"{name}: {problem}", [{"loc": (name,), "msg": problem}])
        self.actor = actor
        #: the tenant scope its connections' sessions carry under Row-Level Security
        self._session = session_scope(scope) if db.row_level_security else None
        self.model: type[M] = mapped.spec.model  # type: ignore[assignment]
        self._decimal_fits: dict[str, tuple[int | None, int | None]] | None = None
        self._trust = mapped.spec.trust

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.model.__name__} scope={self.scope.kind}>"

    # The error context of the operations it runs (``engine.translate.ErrorContext``): the
    # executor also reads ``scope`` and ``actor`` from it, for listeners only.
    @property
    def model_name(self) -> str:
        return self.mapped.model_name

    @property
    def key(self) -> str:
        return self.mapped.key

    def fields_for(self, constraint: str | None, columns: tuple[str, ...]) -> tuple[str, ...]:
        return self.mapped.fields_for(constraint, columns)

    def _ctx(self, operation: CreateOperation = "create") -> OpContext:
        db = self.db
        return OpContext(
            self.mapped,
            self.scope,
            self.actor,
            db._now(),
            db.new_id,
            db._backend().capabilities,
            db._returning,
            operation,
            PENDING.get(),
        )

    def _instance(self, value: M | Mapping[str, Any]) -> M:
        if type(value) is self.model and (trust := self._trust) is not None:
            # Pydantic validated it and nothing changed it unchecked since (models/validity.py)
            copied = valid_copy(value, trust)
            if copied is not None:
                self._fit(vars(copied))  # storied's own copy: the caller's stays as it was
                return copied
        if isinstance(value, self.model):
            # Validated again: assignment, model_copy(update=…) and model_construct bypass
            # Pydantic, and SQLite enforces neither max_length nor most bounds. A None left
            # unset (a server_default field) stays a default, as it was on construction.
            explicit = value.model_fields_set
            value = {k: v for k, v in vars(value).items() if v is not None or k in explicit}
        if isinstance(value, Mapping):
            try:  # model_validate, minus its wrapper's overhead (this runs once per row)
                model: M = self.model.__pydantic_validator__.validate_python(value)
            except PydanticValidationError as exc:
                raise validation_error(self.model.__name__, exc) from None
            self._fit(vars(model))  # storied's own copy: its Decimals take the column's scale
            return model
        raise ValidationError(
            f"expected a {self.model.__name__} or a mapping, got {type(value).__name__}"
        )

    def _fit(self, values: dict[str, Any]) -> dict[str, Any]:
        """Refuse values a column cannot hold as given; Decimals take their column's scale, so
        the row, the model returned and the history all hold the value as stored."""
        spec = self.mapped.spec
        spec.check_values(values)
        fits = self._decimal_fits
        if fits is None:
            fits = self._decimal_fits = decimal_fits(self.mapped, self.db._backend().capabilities)
        if fits:
            fit_values(spec.name, fits, values)
        return values

    def _changes(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """A partial update, validated by the model's rules and fitted to the columns."""
        return self._fit(self.mapped.spec.validate_changes(dict(changes)))

    def _id(self, id: Any) -> Any:
        return self.mapped.spec.coerce_id(id)

    def _ids(self, ids: Iterable[Any]) -> list[Any]:
        return [self.mapped.spec.coerce_id(i) for i in ids]

    def _window(self, limit: int | None, before: Any) -> Window | None:
        """A page of one record's history, or None for all of it."""
        if limit is None:
            if before is not None:
                raise ValidationError("before= pages a history: pass limit= too")
            return None
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValidationError("limit must be a positive integer")
        return Window(limit, before)

    def _change_filters(
        self,
        since: dt.datetime | None,
        until: dt.datetime | None,
        actor: str | None,
        operation: str | None,
        limit: int | None,
        newest_first: bool = False,
    ) -> dict[str, Any]:
        if operation is not None and operation not in OPERATIONS:
            raise ValidationError(f"operation must be one of {', '.join(OPERATIONS)}")
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise ValidationError("limit must be a non-negative integer")
        return {
            "since": since,
            "until": until,
            "actor": actor,
            "operation": operation,
            "limit": limit,
            "newest_first": newest_first,
        }

    def _bulk_changes(
        self, changes: Mapping[Any, Mapping[str, Any]] | Iterable[tuple[Any, Mapping[str, Any]]]
    ) -> dict[Any, dict[str, Any]]:
        """{id: validated changes}; an id named twice is refused."""
        items = changes.items() if isinstance(changes, Mapping) else changes
        out: dict[Any, dict[str, Any]] = {}
        for raw_id, fields in items:
            id = self._id(raw_id)
            if id in out:
                raise ValidationError(f"update_many names {self.model.__name__} {id} twice")
            out[id] = self._changes(fields)
        return out

    def _check_upsert_key(self, on: str) -> None:
        spec = self.mapped.spec
        if on != "id" and not (on in spec.fields and spec.fields[on].column_info.unique):
            unique = ["id", *(n for n, f in spec.fields.items() if f.column_info.unique)]
            raise ValidationError(
                f"upsert_many(on={on!r}): {self.model.__name__} rows are matched by the id or "
                f"a unique field ({', '.join(unique)})"
            )

    def _scd2(self) -> Scd2:
        strategy = self.strategy
        if not isinstance(strategy, Scd2):
            raise ConfigurationError(
                f"{self.model.__name__} keeps no versions: this needs history='scd2'"
            )
        return strategy

    def query(self) -> Query[M]:
        """A new query over this repository's visible rows."""
        return Query(runner=self)  # type: ignore[arg-type]  # subclasses define _run_query

    def _list_query(
        self,
        conditions: tuple[Condition, ...],
        order_by: Any,
        limit: int | None,
        offset: int | None,
        include_deleted: bool,
        equals: dict[str, Any],
    ) -> Query[M]:
        query = self.query().filter(*conditions, **equals).include_deleted(include_deleted)
        if order_by is not None:
            orders = order_by if isinstance(order_by, list | tuple) else (order_by,)
            query = query.order_by(*orders)
        return query.limit(limit).offset(offset)
