"""query(): every operator and combinator, LIKE escaping, case, field checks and bound values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from storied import F, MultipleResultsError, NotFoundError, UnknownFieldError, ValidationError, func
from tests.integration.conftest import Repo, Store, settle
from tests.integration.query_support import Statements
from tests.relmodels import BLOG, Item, Post

UTC = dt.UTC
DAY = dt.datetime(2026, 1, 1, tzinfo=UTC)
INJECTION = "x' OR 1=1 --"

#: name, category, price, qty, made (day of Jan), seen_at (days after DAY), rank, note
ROWS: list[tuple[Any, ...]] = [
    ("Anvil", "tools", "12.50", 3, 5, 1, 2, "heavy"),
    ("anvil mini", "tools", "7.25", 10, 9, None, None, None),
    ("Hammer", "tools", "12.50", 0, 20, 3, 1, "50% off"),
    ("Glue_Stick", "supplies", "1.99", 100, 30, 5, None, "C:\\temp"),
    ("Tape", "supplies", "3.00", 50, 5, None, 3, "sticky"),
    ("Ladder", "garden", "89.00", 2, 31, 7, 5, INJECTION),
    ("GLUE gun", "tools", "25.00", 5, 12, 2, 4, "50 percent"),
]
ALL = {r[0] for r in ROWS}


@pytest.fixture
async def items(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Item)
    repo = store.repository(Item, tenant_id=tenant)
    await repo.create_many(
        [
            Item(
                name=n,
                category=c,
                price=Decimal(p),
                qty=q,
                made=dt.date(2026, 1, d),
                seen_at=None if s is None else DAY + dt.timedelta(days=s),
                rank=r,
                note=note,
            )
            for n, c, p, q, d, s, r, note in ROWS
        ]
    )
    return repo


async def names(query: Any) -> set[str]:
    return {row.name for row in await settle(query.all())}


async def check(items: Repo, cases: list[tuple[Any, set[str]]]) -> None:
    """Each condition selects exactly the expected names (all cases checked, then reported)."""
    wrong = []
    for cond, expected in cases:
        got = await names(items.query().filter(cond))
        if got != expected:
            wrong.append((cond, sorted(got), sorted(expected)))
    assert not wrong, wrong


async def test_comparison_operators(items: Repo) -> None:
    jan9 = dt.date(2026, 1, 9)
    await check(
        items,
        [
            (F.qty == 10, {"anvil mini"}),
            (F.qty != 0, ALL - {"Hammer"}),
            (F.price < Decimal("3.00"), {"Glue_Stick"}),
            (F.price <= Decimal("3.00"), {"Glue_Stick", "Tape"}),
            (F.price > Decimal("12.50"), {"Ladder", "GLUE gun"}),
            (F.price >= Decimal("12.50"), {"Anvil", "Hammer", "Ladder", "GLUE gun"}),
            (F.made < jan9, {"Anvil", "Tape"}),
            (F.made >= dt.date(2026, 1, 30), {"Glue_Stick", "Ladder"}),
            (F.seen_at > DAY + dt.timedelta(days=3), {"Glue_Stick", "Ladder"}),
            (F.seen_at <= DAY + dt.timedelta(days=2), {"Anvil", "GLUE gun"}),
            (F.name == "Tape", {"Tape"}),
        ],
    )


async def test_membership_range_and_null_operators(items: Repo) -> None:
    await check(
        items,
        [
            (F.category.in_(["garden", "supplies", "nope"]), {"Glue_Stick", "Tape", "Ladder"}),
            (F.category.in_([]), set()),
            (F.category.not_in(["tools"]), {"Glue_Stick", "Tape", "Ladder"}),
            (F.category.not_in([]), ALL),
            (F.qty.in_(range(0, 4)), {"Anvil", "Hammer", "Ladder"}),
            (
                F.price.between(Decimal("3.00"), Decimal("12.50")),
                {"Anvil", "anvil mini", "Hammer", "Tape"},
            ),
            (
                F.made.between(dt.date(2026, 1, 9), dt.date(2026, 1, 20)),
                {"anvil mini", "Hammer", "GLUE gun"},
            ),
            (F.rank.is_null(), {"anvil mini", "Glue_Stick"}),
            (F.rank == None, {"anvil mini", "Glue_Stick"}),  # noqa: E711
            (F.rank.is_not_null(), ALL - {"anvil mini", "Glue_Stick"}),
            (F.note != None, ALL - {"anvil mini"}),  # noqa: E711
            (F.seen_at.is_null(), {"anvil mini", "Tape"}),
        ],
    )


async def test_combinators_and_chained_filters(items: Repo) -> None:
    tools = F.category == "tools"
    await check(
        items,
        [
            (tools & (F.qty > 3), {"anvil mini", "GLUE gun"}),
            ((F.qty > 50) | (F.price > 20), {"Glue_Stick", "Ladder", "GLUE gun"}),
            (~tools, {"Glue_Stick", "Tape", "Ladder"}),
            (~(tools | (F.category == "garden")), {"Glue_Stick", "Tape"}),
            (tools & ~((F.qty < 5) | F.name.startswith("G")), {"anvil mini"}),
            ((tools | (F.qty == 50)) & (F.price < 10), {"anvil mini", "Tape"}),
        ],
    )
    query = items.query().filter(tools).filter(F.price >= Decimal("12.50"), qty=3)
    assert await names(query) == {"Anvil"}
    assert await names(items.query().filter(category="supplies", qty=50)) == {"Tape"}
    with pytest.raises(TypeError):
        bool(tools)  # `and`/`or` between conditions would silently drop one side


async def test_text_matching_is_case_sensitive_except_icontains(items: Repo) -> None:
    await check(
        items,
        [
            (F.name.contains("nvil"), {"Anvil", "anvil mini"}),
            (F.name.contains("Anv"), {"Anvil"}),
            (F.name.contains("ANVIL"), set()),
            (F.name.icontains("ANVIL"), {"Anvil", "anvil mini"}),
            (F.name.icontains("glue"), {"Glue_Stick", "GLUE gun"}),
            (F.name.startswith("a"), {"anvil mini"}),
            (F.name.startswith("A"), {"Anvil"}),
            (F.name.startswith("GLUE"), {"GLUE gun"}),
            (F.name.endswith("Stick"), {"Glue_Stick"}),
            (F.name.endswith("STICK"), set()),
        ],
    )


async def test_like_wildcards_in_the_users_text_are_literal(items: Repo) -> None:
    await check(
        items,
        [
            (F.note.contains("%"), {"Hammer"}),
            (F.note.startswith("50%"), {"Hammer"}),  # not "50 percent"
            (F.note.icontains("% OFF"), {"Hammer"}),
            (F.name.contains("_"), {"Glue_Stick"}),
            (F.name.contains("e_S"), {"Glue_Stick"}),
            (F.name.endswith("_"), set()),
            (F.name.icontains("E_s"), {"Glue_Stick"}),
            (F.note.contains("\\"), {"Glue_Stick"}),
            (F.note.contains("\\t"), {"Glue_Stick"}),  # not every note with a "t"
            (F.note.endswith("\\temp"), {"Glue_Stick"}),
            (F.note.startswith("C:\\"), {"Glue_Stick"}),
            (F.note.contains("%_\\"), set()),
            (F.note.contains("' OR"), {"Ladder"}),
        ],
    )


async def test_values_are_bound_never_spliced_into_sql(items: Repo) -> None:
    await check(
        items,
        [
            (F.note == INJECTION, {"Ladder"}),
            (F.name == INJECTION, set()),
            (F.name == "' OR '1'='1", set()),
            (F.name.in_(["a'); DROP TABLE q_items; --", '" OR ""="']), set()),
            (F.name.contains("'; DELETE FROM q_items; --"), set()),
            (F.note.icontains("1=1 --"), {"Ladder"}),
        ],
    )
    assert await names(items.query().filter(name="Tape", note=INJECTION)) == set()
    assert await settle(items.query().count()) == len(ROWS)


async def test_ordering_with_nulls_first_and_last(items: Repo) -> None:
    async def order(*orders: Any) -> list[str]:
        return [r.name for r in await settle(items.query().order_by(*orders).all())]

    ranked = ["Hammer", "Anvil", "Tape", "GLUE gun", "Ladder"]
    nulls = {"Glue_Stick", "anvil mini"}
    last = await order(F.rank.asc().nulls_last())
    assert last[:5] == ranked
    assert set(last[5:]) == nulls
    first = await order(F.rank.asc().nulls_first())
    assert set(first[:2]) == nulls
    assert first[2:] == ranked
    desc_last = await order(F.rank.desc().nulls_last())
    assert desc_last[:5] == ranked[::-1]
    assert set(desc_last[5:]) == nulls
    desc_first = await order(F.rank.desc().nulls_first())
    assert set(desc_first[:2]) == nulls
    assert desc_first[2:] == ranked[::-1]
    assert await order("category", "-price", "name") == [
        "Ladder",
        "Tape",
        "Glue_Stick",
        "GLUE gun",
        "Anvil",
        "Hammer",
        "anvil mini",
    ]
    assert await order(F.qty.desc()) == [
        "Glue_Stick",
        "Tape",
        "anvil mini",
        "GLUE gun",
        "Anvil",
        "Ladder",
        "Hammer",
    ]


async def test_first_one_distinct_limit_offset(items: Repo) -> None:
    query = items.query().order_by("-qty")
    first = await settle(query.first())
    assert first.name == "Glue_Stick"
    assert await settle(query.filter(qty=-1).first()) is None
    assert (await settle(query.filter(name="Tape").one())).qty == 50
    with pytest.raises(NotFoundError):
        await settle(query.filter(name="nope").one())
    with pytest.raises(MultipleResultsError):
        await settle(query.filter(category="tools").one())
    page = await settle(query.offset(2).limit(3).all())
    assert [r.name for r in page] == ["anvil mini", "GLUE gun", "Anvil"]
    distinct = items.query().select(F.category).distinct().order_by(F.category)
    assert await settle(distinct.all()) == [
        {"category": "garden"},
        {"category": "supplies"},
        {"category": "tools"},
    ]
    assert await settle(distinct.count()) == 3
    assert await settle(items.query().filter(F.qty > 99).exists()) is True
    assert await settle(items.query().filter(F.qty > 100).exists()) is False


def unknown_field_calls() -> list[tuple[str, Any, str, str]]:
    """(where, call, the wrong name, a valid name the error must list)."""
    by_category = F.category
    return [
        ("filter", lambda r: r.query().filter(F.nmae == "x").all(), "nmae", "name"),
        ("filter-kwarg", lambda r: r.query().filter(nmae="x").count(), "nmae", "name"),
        ("nested", lambda r: r.query().filter(F.qty > 1, ~(F.prise < 1)).all(), "prise", "price"),
        ("order", lambda r: r.query().order_by(F.prise).all(), "prise", "price"),
        ("order-str", lambda r: r.query().order_by("-prise").first(), "prise", "price"),
        ("select", lambda r: r.query().select(F.catgory).all(), "catgory", "category"),
        ("aggregate", lambda r: r.query().select(func.avg(F.prise)).all(), "prise", "price"),
        (
            "group_by",
            lambda r: r.query().select(func.count()).group_by("catgory").all(),
            "catgory",
            "category",
        ),
        (
            "having",
            lambda r: (
                r.query()
                .select(by_category)
                .group_by(by_category)
                .having(func.sum(F.qtty) > 1)
                .all()
            ),
            "qtty",
            "qty",
        ),
        ("exists", lambda r: r.query().filter(F.nmae.contains("x")).exists(), "nmae", "name"),
        ("chained", lambda r: r.query().filter(qty=1).filter(F["nope"] > 1).count(), "nope", "qty"),
    ]


async def test_unknown_fields_are_refused_before_anything_runs(
    store: Store, items: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = Statements(store.db, monkeypatch)
    for where, call, wrong, valid in unknown_field_calls():
        with pytest.raises(UnknownFieldError) as caught:
            await settle(call(items))
        message = str(caught.value)
        assert caught.value.field == wrong, where
        assert f"Item has no field {wrong!r}" in message, where
        assert "valid fields" in message, where
        assert valid in message, where
    assert statements.count == 0


async def test_unknown_related_paths_are_refused(store: Store, tenant: UUID) -> None:
    await store.create_all(*BLOG)
    posts = store.repository(Post, tenant_id=tenant)
    with pytest.raises(UnknownFieldError) as field:
        await settle(posts.query().filter(F["author.nmae"] == "x").all())
    assert "Author has no field 'nmae'" in str(field.value)
    assert "name" in str(field.value)
    with pytest.raises(UnknownFieldError) as relation:
        await settle(posts.query().filter(F["autor.name"] == "x").all())
    assert "Post has no field 'autor'" in str(relation.value)
    assert "author, comments, tags" in str(relation.value)
    with pytest.raises(UnknownFieldError):
        await settle(posts.query().filter(F["author.posts.titel"] == "x").count())
    with pytest.raises(UnknownFieldError):
        await settle(posts.query().filter(F["title.length"] == 1).count())  # not a relation
    with pytest.raises(ValidationError):
        await settle(posts.query().filter(F.score > "many").all())
