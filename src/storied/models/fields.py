"""``Field()``: a Pydantic field that also carries what the column needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field as _PydanticField
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from sqlalchemy.types import TypeEngine

from ..errors import ModelDefinitionError

if TYPE_CHECKING:
    from collections.abc import Callable

OnDelete = Literal["CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT"]
#: PostgreSQL's index access methods
IndexMethod = Literal["btree", "hash", "gist", "spgist", "gin", "brin"]
_METHODS = frozenset(IndexMethod.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """SQL metadata of one field; lives in ``FieldInfo.metadata`` next to Pydantic's constraints.

    Usable directly as ``Annotated[str, ColumnInfo(unique=True)]``.
    """

    unique: bool = False
    index: bool = False
    index_where: str | None = None
    foreign_key: str | type | None = None
    on_delete: OnDelete | None = None
    check: str | None = None
    server_default: str | None = None
    column: str | None = None
    renamed_from: str | None = None
    db_type: TypeEngine[Any] | None = None
    index_using: IndexMethod | None = None
    index_ops: str | None = None


@dataclass(frozen=True, slots=True)
class StoreName:
    """The named object store a file field keeps its bytes in: ``Field(store="docs")``.

    Read by ``storied.storage.Files`` when it binds a repository; ignored by the column.
    """

    name: str


def Field(
    default: Any = PydanticUndefined,
    *,
    default_factory: Callable[[], Any] | None = None,
    description: str | None = None,
    max_length: int | None = None,
    min_length: int | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    max_digits: int | None = None,
    decimal_places: int | None = None,
    pattern: str | None = None,
    unique: bool = False,
    index: bool = False,
    index_where: str | None = None,
    foreign_key: str | type | None = None,
    on_delete: OnDelete | None = None,
    check: str | None = None,
    server_default: str | None = None,
    column: str | None = None,
    renamed_from: str | None = None,
    db_type: TypeEngine[Any] | None = None,
    index_using: IndexMethod | None = None,
    index_ops: str | None = None,
    store: str | None = None,
) -> Any:
    """Declare a model field and its column.

    Pydantic validates ``max_length``, ``ge`` … on every write; storied also turns them into
    column sizes and CHECK constraints.

    Args:
        unique: unique among live rows of the tenant (soft-deleted rows do not count).
        index: add an index (leading with the tenant column on tenant-scoped models).
        index_where: SQL predicate making the index partial (model-author DDL, never user input).
        foreign_key: ``"table.column"`` or a Model class (its ``id``).
        on_delete: referential action of the foreign key.
        check: an extra CHECK constraint, as SQL over this table's columns.
        server_default: SQL expression the database applies when no value is sent.
        column: column name when it differs from the field name.
        renamed_from: previous field name, so schema sync renames instead of drop-and-add.
        db_type: the column's SQLAlchemy type, instead of the one storied derives from the
            annotation (an instance: ``sa.SmallInteger()``, ``postgresql.CITEXT()``). Values
            are still validated as the annotation says; a backend that cannot render the type
            refuses the model (``ModelDefinitionError``) when its tables are made.
        index_using: PostgreSQL index method of ``index=True`` (``"gin"``, ``"gist"`` …);
            other backends refuse a method other than ``"btree"``.
        index_ops: PostgreSQL operator class of the indexed column (``"gin_trgm_ops"``, which
            needs ``CREATE EXTENSION pg_trgm``; ``"jsonb_path_ops"``).
        store: for a ``FileRef`` field, the name of the store its bytes go to, one of the
            stores given to ``storied.storage.Files(stores={…})``; None: the default store.
    """
    if store is not None and (not isinstance(store, str) or not store):
        raise ModelDefinitionError(f"store must be a store's name (a non-empty str), got {store!r}")
    if db_type is not None and not isinstance(db_type, TypeEngine):
        raise ModelDefinitionError(
            f"db_type must be a SQLAlchemy type instance (e.g. sa.String(20)), got {db_type!r}"
        )
    if index_using is not None and index_using not in _METHODS:
        raise ModelDefinitionError(
            f"index_using must be one of {', '.join(sorted(_METHODS))}, got {index_using!r}"
        )
    if (index_using is not None or index_ops is not None) and not index:
        raise ModelDefinitionError("index_using and index_ops describe an index: add index=True")
    if (index_using is not None or index_ops is not None) and unique:
        raise ModelDefinitionError(
            "index_using and index_ops describe a plain index; a unique one is a B-tree"
        )
    if default is PydanticUndefined and default_factory is None and server_default is not None:
        default = None  # the database fills it: optional for Pydantic (set before, not after)
    info: FieldInfo = _PydanticField(  # type: ignore[call-overload, misc]
        default,
        default_factory=default_factory,
        description=description,
        max_length=max_length,
        min_length=min_length,
        ge=ge,
        gt=gt,
        le=le,
        lt=lt,
        max_digits=max_digits,
        decimal_places=decimal_places,
        pattern=pattern,
    )
    column_info = ColumnInfo(
        unique=unique,
        index=index,
        index_where=index_where,
        foreign_key=foreign_key,
        on_delete=on_delete,
        check=check,
        server_default=server_default,
        column=column,
        renamed_from=renamed_from,
        db_type=db_type,
        index_using=index_using,
        index_ops=index_ops,
    )
    if column_info != ColumnInfo():
        info.metadata.append(column_info)
    if store is not None:
        info.metadata.append(StoreName(store))
    return info
