"""Repositories whose writes take file values: upload first, then write the row.

``FileRepository`` wraps a :class:`~storied.Repository` (``AsyncFileRepository`` an
:class:`~storied.AsyncRepository`). ``create``, ``create_many``, ``update``, ``update_many`` and
``upsert_many`` turn each file value into a ``FileRef`` (uploading bytes, checking a given ref)
and then call the wrapped repository; every other method is the wrapped one's, so reads,
history, ``get(as_of=…)`` and ``revert`` work on the ``FileRef`` values the rows keep.

Order of effects: the bytes are in the store before the row's statement is sent. A write that
fails or rolls back afterwards leaves at most an object no row names, which
:func:`~storied.storage.collect_garbage` removes once it is older than its grace period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import ValidationError as PydanticValidationError

from ..errors import ConfigurationError
from ..models.spec import validation_error
from ._bind import Binder
from ._upload import Plan, has_files, resolve
from .fileref import FileRef, file_fields

if TYPE_CHECKING:
    from ..repository.asyncio import AsyncRepository
    from ..repository.sync import Repository
    from .files import AsyncFiles, Files

M = TypeVar("M")
#: stands in for each file while the rest of a row is validated, before anything is uploaded
_PROBE = FileRef(key="probe", size=0, sha256="0" * 64)


class _Wrapper(Generic[M]):
    def __init__(self, repo: Any, stores: Mapping[str, Any], store_named: Any) -> None:
        self.repo = repo
        self.fields = file_fields(repo.model)
        if not self.fields:
            raise ConfigurationError(f"{repo.model.__name__} has no FileRef field")
        self.stores = dict(stores)
        self.binder = Binder(repo.model, stores, store_named)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.repo, name)
        return self.binder.method(attribute) if callable(attribute) else attribute

    def field_history(self, id: Any, field: str) -> Any:
        """The wrapped ``field_history``, its FileRef values bound to the field's store."""
        return self.binder.bind(self.repo.field_history(id, field), field)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self.repo!r}>"

    def _values(self, value: Any) -> dict[str, Any] | None:
        """A row's values when it carries file values to resolve, else None (pass it on)."""
        if isinstance(value, Mapping):
            values = dict(value)
        elif isinstance(value, self.repo.model):
            explicit = value.model_fields_set
            values = {k: v for k, v in vars(value).items() if v is not None or k in explicit}
        else:
            return None  # the wrapped repository refuses it with its own message
        return values if has_files(self.fields, values) else None

    def _tenant(self, given: Any) -> Any:
        """The tenant whose files a row's uploads go to (refused early if out of scope)."""
        scope = self.repo.scope
        spec = self.repo.mapped.spec
        if given is not None and spec.options.tenant:
            given = spec.tenant_adapter.validate_python(given)
        return scope.tenant_for_write(self.repo.model.__name__, given)

    def _probe(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {k: _PROBE if k in self.fields and v is not None else v for k, v in values.items()}

    def _plan_row(self, value: Any) -> Plan | None:
        values = self._values(value)
        if values is None:
            return None
        if not isinstance(value, self.repo.model):  # bad input uploads nothing
            try:
                self.repo.model.model_validate(self._probe(values))
            except PydanticValidationError as exc:
                raise validation_error(self.repo.model.__name__, exc) from None
        return resolve(self.fields, self._tenant(values.get("tenant_id")), values)

    def _plan_changes(self, tenant: Any, changes: Mapping[str, Any]) -> Plan:
        self.repo.mapped.spec.validate_changes(self._probe(changes))  # bad input uploads nothing
        return resolve(self.fields, tenant, changes)

    def _needs_row(self) -> bool:
        """Updates in a scope of several tenants upload to the row's own tenant."""
        return self.repo.scope.kind in ("tenants", "unscoped")


class FileRepository(_Wrapper[M]):
    """A :class:`~storied.Repository` whose writes take file values (see the module doc)."""

    repo: Repository[Any]

    def __init__(self, files: Files, repo: Repository[Any]) -> None:
        super().__init__(repo, files.stores_for(repo.model), files.store_named)
        self.files = files

    def _row(self, value: Any) -> Any:
        plan = self._plan_row(value)
        return value if plan is None else self.files.run(plan, self.stores)

    def _changes(self, id: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
        if not has_files(self.fields, changes):
            return dict(changes)
        tenant = self.repo.get(id).tenant_id if self._needs_row() else self._tenant(None)
        return self.files.run(self._plan_changes(tenant, changes), self.stores)

    def create(self, value: Any) -> M:
        created: list[M] = self.create_many([value])
        return created[0]

    def create_many(self, values: Iterable[Any]) -> list[M]:
        rows = [self._row(v) for v in values]
        return self.binder.bind(self.repo.create_many(rows))  # type: ignore[no-any-return]

    def update(self, id: Any, /, *, expected_version: int | None = None, **changes: Any) -> M:
        updated: M = self.repo.update(
            id, expected_version=expected_version, **self._changes(id, changes)
        )
        return self.binder.bind(updated)  # type: ignore[no-any-return]

    def update_many(self, changes: Any) -> list[M]:
        items = changes.items() if isinstance(changes, Mapping) else changes
        done = self.repo.update_many([(i, self._changes(i, c)) for i, c in items])
        return self.binder.bind(done)  # type: ignore[no-any-return]

    def upsert_many(self, values: Iterable[Any], *, on: str = "id") -> list[M]:
        rows = [self._row(v) for v in values]
        return self.binder.bind(self.repo.upsert_many(rows, on=on))  # type: ignore[no-any-return]


class AsyncFileRepository(_Wrapper[M]):
    """:class:`FileRepository` over an :class:`~storied.AsyncRepository`, awaited."""

    repo: AsyncRepository[Any]

    def __init__(self, files: AsyncFiles, repo: AsyncRepository[Any]) -> None:
        super().__init__(repo, files.stores_for(repo.model), files.store_named)
        self.files = files

    async def _row(self, value: Any) -> Any:
        plan = self._plan_row(value)
        return value if plan is None else await self.files.run(plan, self.stores)

    async def _changes(self, id: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
        if not has_files(self.fields, changes):
            return dict(changes)
        tenant = (await self.repo.get(id)).tenant_id if self._needs_row() else self._tenant(None)
        return await self.files.run(self._plan_changes(tenant, changes), self.stores)

    async def create(self, value: Any) -> M:
        created: list[M] = await self.create_many([value])
        return created[0]

    async def create_many(self, values: Iterable[Any]) -> list[M]:
        rows = [await self._row(v) for v in values]
        return self.binder.bind(await self.repo.create_many(rows))  # type: ignore[no-any-return]

    async def update(self, id: Any, /, *, expected_version: int | None = None, **changes: Any) -> M:
        checked = await self._changes(id, changes)
        updated: M = await self.repo.update(id, expected_version=expected_version, **checked)
        return self.binder.bind(updated)  # type: ignore[no-any-return]

    async def update_many(self, changes: Any) -> list[M]:
        items = changes.items() if isinstance(changes, Mapping) else changes
        done = await self.repo.update_many([(i, await self._changes(i, c)) for i, c in items])
        return self.binder.bind(done)  # type: ignore[no-any-return]

    async def upsert_many(self, values: Iterable[Any], *, on: str = "id") -> list[M]:
        rows = [await self._row(v) for v in values]
        done = await self.repo.upsert_many(rows, on=on)
        return self.binder.bind(done)  # type: ignore[no-any-return]
