"""History values are immutable and honestly typed: ChangeSet, Version[M]."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, assert_type

import pytest

from storied import ChangeSet, Model, Version
from storied.repository.asyncio import AsyncRepository
from storied.repository.sync import Repository
from storied.temporal.records import OPERATIONS

AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class Thing(Model, table="rec_things", history="scd2", primary_key="uuid"):
    name: str


def test_a_change_sets_changes_cannot_be_changed() -> None:
    given: dict[str, tuple[Any, Any]] = {"name": ("a", "b")}
    cs = ChangeSet(1, "update", "ann", AT, given, change_set_id=uuid.uuid4())
    given["other"] = (None, 1)  # the caller's dict is not the change set's
    assert dict(cs.changes) == {"name": ("a", "b")}
    with pytest.raises(TypeError):
        cs.changes["name"] = ("x", "y")  # type: ignore[index]
    with pytest.raises(AttributeError):
        cs.operation = "delete"  # type: ignore[misc]
    assert cs == ChangeSet(1, "update", "ann", AT, {"name": ("a", "b")}, cs.change_set_id)


def test_change_set_id_and_version_are_separate() -> None:
    group = uuid.uuid4()
    audited = ChangeSet(1, "update", None, AT, change_set_id=group)
    versioned = ChangeSet(1, "update", None, AT, version=3)
    assert (audited.change_set_id, audited.version, audited.id) == (group, None, group)
    assert (versioned.change_set_id, versioned.version, versioned.id) == (None, 3, 3)


def test_operations_are_a_closed_set() -> None:
    assert OPERATIONS == ("create", "import", "update", "delete", "restore", "purge")


def test_a_version_holds_the_model_itself() -> None:
    thing = Thing(name="a", version=2)
    version = Version(thing, AT, None)
    assert_type(version, Version[Thing])
    assert version.number == 2
    assert version.model is thing


def _typed(repo: Repository[Thing], arepo: AsyncRepository[Thing]) -> Any:
    """Checked by mypy (``mypy tests/unit/test_records.py``), never run."""
    versions = repo.versions(1)
    assert_type(versions, list[Version[Thing]])
    assert_type(versions[0].model, Thing)
    return arepo.versions(1)
