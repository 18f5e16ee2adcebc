"""Text is compared exactly and stored as given, identically on every backend.

MariaDB's ``utf8mb4_bin`` pads: it made ``"A1 "`` a duplicate of ``"A1"`` and ``== " "`` match
``""``; storied's tables use a NO PAD binary collation. Text no backend stores as given (NUL,
lone surrogates) is refused with a ValidationError naming the field, before any SQL, for field
values and for every filter operator alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from storied import F, Field, Model, ValidationError
from tests.integration.conftest import Repo, Store, settle


class Label(Model, table="exact_labels", history="copy_on_change"):
    code: str = Field(max_length=20, unique=True)
    note: str = ""
    tags: list[str] = Field(default_factory=list)
    meta: dict[str, object] = Field(default_factory=dict)


class Note(Model, table="exact_notes", tenant_type=str):
    body: str = ""


@pytest.fixture
async def labels(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Label)
    return store.repository(Label, tenant_id=tenant, actor="alice")


async def codes(labels: Repo, *conditions: Any, **equals: Any) -> list[str]:
    return sorted(x.code for x in await labels.list(*conditions, **equals))


async def test_trailing_spaces_are_significant(labels: Repo) -> None:
    await labels.create(Label(code="A1", note=""))
    await labels.create(Label(code="A1 ", note=" "))  # not a duplicate of "A1"
    await labels.create(Label(code=" ", note="  "))

    assert await codes(labels, code="A1") == ["A1"]
    assert await codes(labels, code="A1 ") == ["A1 "]
    assert await codes(labels, F.code.in_(["A1 "])) == ["A1 "]
    assert [x.note for x in await labels.list(F.note == " ")] == [" "]
    assert [x.note for x in await labels.list(F.note == "")] == [""]
    assert await labels.count(F.note < " ") == 1  # "" sorts before " " (no padding)
    assert await codes(labels, F.code.endswith("1 ")) == ["A1 "]


BAD_TEXT = [pytest.param("a\x00b", id="nul"), pytest.param("a\ud800b", id="lone-surrogate")]


@pytest.mark.parametrize("bad", BAD_TEXT)
async def test_bad_text_in_a_field_is_refused_and_nothing_written(labels: Repo, bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await labels.create(Label(code="ok", note=bad))
    assert caught.value.errors[0]["loc"] == ("note",)
    assert "note" in str(caught.value)
    with pytest.raises(ValidationError, match="code"):
        await labels.create_many([{"code": "fine"}, {"code": bad}])
    assert await labels.count() == 0

    row = await labels.create(Label(code="kept"))
    with pytest.raises(ValidationError, match="note"):
        await labels.update(row.id, note=bad)
    with pytest.raises(ValidationError, match="tags"):
        await labels.update(row.id, tags=["x", bad])
    with pytest.raises(ValidationError, match="meta"):
        await labels.update(row.id, meta={"k": bad})
    with pytest.raises(ValidationError, match="meta"):
        await labels.update(row.id, meta={bad: 1})  # keys are text too
    with pytest.raises(ValidationError, match="note"):
        await labels.update_many({row.id: {"note": bad}})
    assert (await labels.get(row.id)).version == 1
    assert len(await labels.history(row.id)) == 1  # the create only


FILTERS: list[tuple[str, Callable[[str], Any]]] = [
    ("eq", lambda v: F.note == v),
    ("ne", lambda v: F.note != v),
    ("lt", lambda v: F.note < v),
    ("in", lambda v: F.note.in_(["x", v])),
    ("not_in", lambda v: F.note.not_in([v])),
    ("between", lambda v: F.note.between("a", v)),
    ("contains", lambda v: F.note.contains(v)),
    ("icontains", lambda v: F.note.icontains(v)),
    ("startswith", lambda v: F.note.startswith(v)),
    ("endswith", lambda v: F.note.endswith(v)),
]


@pytest.mark.parametrize("bad", BAD_TEXT)
@pytest.mark.parametrize(("op", "condition"), FILTERS, ids=[op for op, _ in FILTERS])
async def test_bad_text_in_a_filter_is_refused_naming_the_field(
    labels: Repo, bad: str, op: str, condition: Callable[[str], Any]
) -> None:
    await labels.create(Label(code="one", note="some text"))
    with pytest.raises(ValidationError) as caught:
        await labels.list(condition(bad))
    assert caught.value.errors[0]["loc"][0] == "note"
    assert "note" in str(caught.value)
    with pytest.raises(ValidationError, match="note"):
        await settle(labels.query().filter(condition(bad)).count())


async def test_bad_text_in_an_equality_keyword_is_refused(labels: Repo) -> None:
    with pytest.raises(ValidationError, match="code"):
        await labels.list(code="\x00")


async def test_bytes_that_are_not_utf8_in_a_dict_field_are_refused(labels: Repo) -> None:
    with pytest.raises(ValidationError) as caught:
        await labels.create(Label(code="b", meta={"raw": b"\xff\xfe"}))
    assert caught.value.errors[0]["loc"] == ("meta",)
    assert await labels.count() == 0
    row = await labels.create(Label(code="b", meta={"raw": b"fine"}))  # UTF-8 bytes are text
    assert (await labels.get(row.id)).meta == {"raw": "fine"}


@pytest.mark.parametrize("bad", BAD_TEXT)
async def test_bad_text_in_the_actor_or_a_text_tenant_is_refused(
    store: Store, tenant: UUID, bad: str
) -> None:
    await store.create_all(Label, Note)
    with pytest.raises(ValidationError, match="actor"):
        store.repository(Label, tenant_id=tenant, actor=bad)
    with pytest.raises(ValidationError, match="tenant_id"):
        store.repository(Note, tenant_id=bad)
    with pytest.raises(ValidationError, match="tenant_id"):
        store.repository(Note, tenant_ids=["acme", bad])
