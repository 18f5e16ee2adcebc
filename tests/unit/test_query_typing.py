"""A repository's query is typed for its model: mypy (the project's own configuration) reads a
small program and must reveal ``list[Product]`` for ``repo.query().all()``, sync and awaited."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"

PROGRAM = """
from decimal import Decimal
from typing import Any

from storied import AsyncDatabase, Database, F, Field, Model, func


class Product(Model, table="products"):
    name: str = Field(max_length=100)
    price: Decimal = Field(max_digits=12, decimal_places=2)


def sync(db: Database) -> None:
    repo = db.repository(Product, unscoped=True)
    query = repo.query().filter(F.price < 10).order_by(F.name).limit(5)
    reveal_type(query)  # sync query
    reveal_type(query.all())  # sync all
    reveal_type(query.first())  # sync first
    reveal_type(query.one())  # sync one
    reveal_type(query.count())  # sync count
    reveal_type(query.exists())  # sync exists
    reveal_type(query.iterate())  # sync iterate
    reveal_type(query.select(F.name, func.count()).group_by(F.name).all())  # sync select
    reveal_type(query.union(query).except_(query).order_by("name").all())  # sync setop
    reveal_type(query.union_all(query).first())  # sync setop first
    reveal_type(query.select(F.name).intersect(query.select(F.name)).all())  # sync setop rows
    reveal_type(query.tuples().all())  # sync tuples
    reveal_type(query.dicts().first())  # sync dicts first
    reveal_type(query.select(F.name).tuples().one())  # sync select tuples
    reveal_type(query.tuples().iterate())  # sync tuples iterate
    reveal_type(query.tuples().union(query).all())  # sync setop tuples
    reveal_type(query.union(query).dicts().first())  # sync setop dicts
    ranked = query.select(F.name, func.rank().over(order_by=F.price.desc()).label("r"))
    reveal_type(ranked.order_by("r").all())  # sync window rows
    wrong: list[int] = query.all()  # refused


async def run_async(db: AsyncDatabase) -> None:
    repo = db.repository(Product, unscoped=True)
    query = repo.query().filter(F.price < 10).order_by(F.name)
    reveal_type(query)  # async query
    reveal_type(await query.all())  # async all
    reveal_type(await query.first())  # async first
    reveal_type(await query.one())  # async one
    reveal_type(await query.count())  # async count
    reveal_type(await query.exists())  # async exists
    reveal_type(query.iterate())  # async iterate
    async for product in query.iterate():
        reveal_type(product)  # async item
    reveal_type(await query.select(F.name).all())  # async select
    lagged = query.select(F.name, func.lag(F.price).over(order_by="name"))
    reveal_type(await lagged.first())  # async window row
    reveal_type(await query.intersect(query).limit(2).all())  # async setop
    reveal_type(await query.except_(query).count())  # async setop count
    reveal_type(await query.tuples().all())  # async tuples
    reveal_type(query.dicts().iterate())  # async dicts iterate
    reveal_type(await query.union(query).tuples().first())  # async setop tuples
"""

EXPECTED = {
    "sync query": "storied.query.bound.SyncQuery[{m}.Product]",
    "sync all": "list[{m}.Product]",
    "sync first": "{m}.Product | None",
    "sync one": "{m}.Product",
    "sync count": "int",
    "sync exists": "bool",
    "sync iterate": "typing.Iterator[{m}.Product]",
    "sync select": "list[dict[str, Any]]",
    "sync setop": "list[{m}.Product]",
    "sync setop first": "{m}.Product | None",
    "sync setop rows": "list[dict[str, Any]]",
    "sync tuples": "list[tuple[Any, ...]]",
    "sync dicts first": "dict[str, Any] | None",
    "sync select tuples": "tuple[Any, ...]",
    "sync tuples iterate": "typing.Iterator[tuple[Any, ...]]",
    "sync setop tuples": "list[tuple[Any, ...]]",
    "sync setop dicts": "dict[str, Any] | None",
    "sync window rows": "list[dict[str, Any]]",
    "async query": "storied.query.bound.AsyncQuery[{m}.Product]",
    "async all": "list[{m}.Product]",
    "async first": "{m}.Product | None",
    "async one": "{m}.Product",
    "async count": "int",
    "async exists": "bool",
    "async iterate": "typing.AsyncIterator[{m}.Product]",
    "async item": "{m}.Product",
    "async select": "list[dict[str, Any]]",
    "async window row": "dict[str, Any] | None",
    "async setop": "list[{m}.Product]",
    "async setop count": "int",
    "async tuples": "list[tuple[Any, ...]]",
    "async dicts iterate": "typing.AsyncIterator[dict[str, Any]]",
    "async setop tuples": "tuple[Any, ...] | None",
}


def test_query_terminals_are_typed_for_the_model(tmp_path: Path) -> None:
    program = tmp_path / "typed_queries.py"
    program.write_text(textwrap.dedent(PROGRAM))
    lines = program.read_text().splitlines()
    env_before = os.environ.get("MYPYPATH")
    os.environ["MYPYPATH"] = str(SRC)  # this checkout's storied, not an installed one
    try:
        stdout, stderr, _ = api.run(
            [
                "--config-file",
                str(ROOT / "pyproject.toml"),
                "--cache-dir",
                str(ROOT / ".mypy_cache"),
                "--no-error-summary",
                "--show-absolute-path",
                str(program),
            ]
        )
    finally:
        if env_before is None:
            del os.environ["MYPYPATH"]
        else:
            os.environ["MYPYPATH"] = env_before
    revealed: dict[str, str] = {}
    errors: list[str] = []
    for line in stdout.splitlines():
        found = re.match(r".*?:(\d+): (note|error): (.*)", line)
        if found is None:
            continue
        source = lines[int(found[1]) - 1]
        if found[2] == "note" and "Revealed type is" in found[3]:
            label = source.split("# ", 1)[1]
            revealed[label] = _plain(found[3].split('"')[1])
        elif found[2] == "error":
            errors.append(source.split("# ", 1)[-1] + ": " + found[3])
    module = program.stem
    assert revealed == {k: v.format(m=module) for k, v in EXPECTED.items()}, stderr
    assert len(errors) == 1, errors  # the list[int] assignment, nothing else
    assert errors[0].startswith("refused: Incompatible types in assignment")


def _plain(revealed: str) -> str:
    """One spelling across mypy versions: ``X | None``, builtins unqualified."""
    revealed = revealed.replace("builtins.", "")
    return re.sub(r"^Union\[(.*), None\]$", r"\1 | None", revealed)
