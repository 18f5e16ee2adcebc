"""CREATE TABLE and CREATE INDEX as storied's tables need them on each backend.

- MySQL calls its binary NO PAD collation ``utf8mb4_0900_bin``, MariaDB ``utf8mb4_nopad_bin``
  (the name tables declare): the statement gets the server's own.
- A column type a backend cannot render (a ``db_type`` made for another backend), or an index
  method or operator class where indexes have none, is a model definition error, not a
  compiler error from deep inside SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlalchemy.sql.compiler import DDLCompiler

from ..errors import ModelDefinitionError
from . import capabilities, text_collation
from .mysql import EXACT_TEXT

#: ``Table.info`` flag: the table's primary key is storied's row key, not the database's (a
#: partitioned versions table: PostgreSQL wants the partition key in a primary key, and
#: ``valid_to`` is NULL on current versions); CREATE TABLE leaves it out, a unique index
#: with the partition key enforces it instead
KEYLESS = "storied_keyless"


@compiles(CreateTable)
def _create_table(element: CreateTable, compiler: DDLCompiler, **kw: Any) -> str:
    try:
        text: str = compiler.visit_create_table(element, **kw)  # type: ignore[no-untyped-call]
    except sa.exc.CompileError as exc:  # names the table and column
        dialect = compiler.dialect.name
        raise ModelDefinitionError(f"{exc} (a db_type this backend, {dialect}, lacks)") from None
    table = element.element
    if table.info.get(KEYLESS) and table.primary_key:
        key = compiler.process(table.primary_key)
        text = text.replace(f", \n\t{key}", "", 1)
    wanted = text_collation(compiler.dialect)
    option = f"COLLATE {EXACT_TEXT}"
    if wanted is not None and wanted != EXACT_TEXT and option in text:
        # the table options close the statement: replace the last occurrence only
        head, _, tail = text.rpartition(option)
        text = f"{head}COLLATE {wanted}{tail}"
    return text


@compiles(CreateIndex)
def _create_index(element: CreateIndex, compiler: DDLCompiler, **kw: Any) -> str:
    index: sa.Index = element.element
    if not capabilities(compiler.dialect).index_methods:
        options = index.dialect_options["postgresql"]
        if options.get("using") not in (None, False, "btree") or options.get("ops"):
            raise ModelDefinitionError(
                f"index {index.name}: an index method or operator class (index_using, "
                f"index_ops) needs PostgreSQL; {compiler.dialect.name} has neither"
            )
    text: str = compiler.visit_create_index(element, **kw)  # type: ignore[no-untyped-call]
    return text


def check_ddl(tables: Iterable[sa.Table], dialect: sa.Dialect) -> None:
    """Compile the tables' CREATE statements without running them: a model this backend cannot
    build is refused before the first table exists (MySQL commits each DDL statement)."""
    for table in tables:
        CreateTable(table).compile(dialect=dialect)
        for index in table.indexes:
            CreateIndex(index).compile(dialect=dialect)
