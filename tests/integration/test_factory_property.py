"""Property: every model of the test suite and of the docs gets factory objects that validate
and insert, on every backend, whatever the seed.

Models that share a table name (the docs evolve ``products`` through three versions) go to
separate registries, each created, filled and dropped in turn.
"""

from __future__ import annotations

import inspect
import os
import random
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import tests.models
import tests.relmodels
from storied import Database, Model, Registry
from storied.testing import factory

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
SEEDS = (0, 1, 2)


def _models_of(namespace: dict[str, Any], module: str) -> list[type[Model]]:
    found = [
        v
        for v in namespace.values()
        if inspect.isclass(v) and issubclass(v, Model) and v.__module__ == module
    ]
    return [m for m in found if m.__storied_options__ and not m.__storied_options__.abstract]


def _doc_models(tmp: Path) -> dict[str, list[type[Model]]]:
    """The models each docs page defines (its examples run in ``tmp``, as tests/docs does)."""
    out: dict[str, list[type[Model]]] = {}
    for page in sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")]):
        source = "\n".join(BLOCK.findall(page.read_text()))
        if "(Model" not in source:
            continue
        name = f"docs_{page.stem}"
        namespace: dict[str, Any] = {"__name__": name}
        here = Path.cwd()
        (tmp / page.stem).mkdir()
        try:
            os.chdir(tmp / page.stem)
            exec(compile(source, str(page), "exec", dont_inherit=True), namespace)
        finally:
            os.chdir(here)
        out[page.stem] = _models_of(namespace, name)
    return out


def _groups(models: list[type[Model]]) -> Iterator[list[type[Model]]]:
    """``models`` split so that no group maps one table name twice."""
    pending = list(models)
    while pending:
        group: list[type[Model]] = []
        tables: set[str] = set()
        for model in list(pending):
            table = model.storied_spec().options.table
            if table not in tables:
                group.append(model)
                tables.add(table)
                pending.remove(model)
        yield group


def _tenant(model: type[Model], rnd: random.Random) -> dict[str, Any]:
    options = model.storied_spec().options
    if not options.tenant:
        return {}
    kinds: dict[type, Any] = {
        uuid.UUID: uuid.UUID(int=rnd.getrandbits(128)),
        str: f"t{rnd.getrandbits(32)}",
        int: rnd.getrandbits(31),
    }
    return {"tenant_id": kinds[options.tenant_type]}


def _check(db_url: str, models: list[type[Model]]) -> int:
    """Create each model's rows through a factory; return how many rows were checked."""
    checked = 0
    for group in _groups(models):
        db = Database(db_url, registry=Registry()).connect()
        try:
            db.create_all(group)
            for model in group:
                for seed in SEEDS:
                    made = factory(model, seed=seed)
                    for obj in made.batch(5):  # every built object validates as it is
                        assert model.model_validate(obj.model_dump()) == obj
                    repo = db.repository(model, **_tenant(model, random.Random(seed)))
                    rows = made.create_batch(repo, 5)
                    assert {r.id for r in repo.get_many([r.id for r in rows])} == {
                        r.id for r in rows
                    }
                    # what came back is what the factory made (bookkeeping aside)
                    user = set(model.storied_spec().fields)
                    for row in rows:
                        again = repo.get(row.id)
                        assert again.model_dump(include=user) == row.model_dump(include=user)
                        assert row.deleted_at is None
                    checked += len(rows)
        finally:
            try:
                db.drop_all()
            finally:
                db.close()
    return checked


SUITES: dict[str, ModuleType] = {"models": tests.models, "relmodels": tests.relmodels}


@pytest.mark.parametrize("suite", list(SUITES))
def test_suite_models_insert(suite: str, backend: str, db_url: str) -> None:
    module = SUITES[suite]
    models = _models_of(vars(module), module.__name__)
    assert len(models) >= 8
    assert _check(db_url, models) == len(models) * len(SEEDS) * 5


def _partial_unique(model: type[Model]) -> bool:
    fields = model.storied_spec().fields.values()
    return any(f.column_info.unique and f.column_info.index_where for f in fields)


def test_docs_models_insert(backend: str, db_url: str, tmp_path: Path) -> None:
    pages = _doc_models(tmp_path)
    if backend == "mysql":  # MariaDB has no partial unique indexes: such models are refused
        pages = {p: [m for m in found if not _partial_unique(m)] for p, found in pages.items()}
    models = [m for found in pages.values() for m in found]
    assert {"models", "queries", "temporal"} <= set(pages)
    assert len(models) >= 10
    # one page's models ran together in its example; two pages may each map a table name
    checked = sum(_check(db_url, found) for found in pages.values())
    assert checked == len(models) * len(SEEDS) * 5
