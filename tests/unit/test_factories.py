"""Factories: valid objects, name rules, extensions, bookkeeping unset, uniqueness, seeds."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest

from storied import ConfigurationError, Field, Model, ValidationError
from storied.testing import NAME_RULES, Extension, Extensions, factory
from tests.models import Account, Everything, Price, Product, Setting, StockItem
from tests.relmodels import Author, Employee, Post, Profile

ROOT = Path(__file__).resolve().parents[2]
BOOKKEEPING = set(Model.model_fields)


class Contact(Model, table="t_contacts"):
    email: str = Field(max_length=12)
    phone: str = Field(max_length=40)
    first_name: str = Field(max_length=40)
    last_name: str = Field(max_length=40)
    full_name: str = Field(max_length=80)
    company: str = Field(max_length=80)
    home_address: str = Field(max_length=200)
    city: str = Field(max_length=60)
    country: str = Field(max_length=60)
    website: str = Field(max_length=200)
    iban: str = Field(max_length=34)
    sku: str = Field(max_length=64)
    initials: str = Field(min_length=6, max_length=8)
    zone: str = Field(pattern=r"^Z[0-9]{3}$", max_length=4)


class Policy(Model, table="t_policies"):
    policy_number: str = Field(max_length=13, unique=True)
    holder_name: str = Field(max_length=100)
    seats: int = Field(ge=1, le=3)


class Tiny(Model, table="t_tiny"):
    code: str = Field(max_length=6, unique=True)


MODELS = [Product, Everything, Account, Price, StockItem, Setting, Post, Employee, Contact, Policy]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_objects_validate_and_leave_bookkeeping_unset(model: type[Model]) -> None:
    for obj in factory(model, seed=7).batch(50):
        assert type(obj).model_validate(obj.model_dump()) == obj
        assert {n for n in BOOKKEEPING if getattr(obj, n) is not None} == set()


def test_datetimes_are_aware_utc() -> None:
    objs: list[Model] = [*factory(Everything, seed=1).batch(30)]
    objs += factory(Account, seed=1, allow_none=False).batch(5)
    stamps = [o.at for o in objs if isinstance(o, Everything)]
    stamps += [o.opened_at for o in objs if isinstance(o, Account)]
    assert stamps
    assert all(s is not None and s.utcoffset() == dt.timedelta(0) for s in stamps)


def test_values_follow_field_names_within_constraints() -> None:
    for c in factory(Contact, seed=3).batch(40):
        assert "@" in c.email or len(c.email) == 12  # cut to max_length=12
        assert len(c.email) <= 12
        assert re.fullmatch(r"SKU-\d{4}-[A-Z]{4}", c.sku)
        assert re.fullmatch(r"[A-Z]{2}\d{2}\w+", c.iban)
        assert c.website.startswith("http")
        assert " " in c.full_name
        assert "\n" not in c.home_address
        assert 6 <= len(c.initials) <= 8
        assert re.fullmatch(r"Z[0-9]{3}", c.zone)  # the pattern wins over any name rule
    first = factory(Contact, seed=3).build()
    assert first.first_name.isalpha()
    assert first.last_name.replace("-", "").isalpha()


def test_name_rules_can_be_turned_off() -> None:
    c = factory(Contact, seed=3, names=False).build()
    assert not re.fullmatch(r"SKU-\d{4}-[A-Z]{4}", c.sku)


def test_extensions_are_ordered_and_composable() -> None:
    mine = Extensions().add(r"^policy_number$", "POL-####-????")
    policies = factory(Policy, seed=5, extensions=mine).batch(20)
    assert all(re.fullmatch(r"POL-\d{4}-[A-Za-z]{4}", p.policy_number) for p in policies)
    # the first matching rule wins: a rule in front overrides the one behind
    front = Extensions().add(r"^holder_name$", lambda f: "Ann") + Extensions().add("name", "X")
    assert factory(Policy, seed=5, extensions=front).build().holder_name == "Ann"
    # user rules come before storied's own: holder_name would otherwise be a person's name
    assert " " in factory(Policy, seed=5).build().holder_name
    both = mine + NAME_RULES
    assert len(both) == len(NAME_RULES) + 1
    assert next(iter(both)).pattern == "^policy_number$"


def test_rules_for_numbers_apply_only_to_fields_without_bounds() -> None:
    ext = [Extension(r"^seats$", lambda f: 2, frozenset({"int"}))]
    assert {p.seats for p in factory(Policy, seed=1, extensions=ext).batch(5)} == {2}
    assert all(1 <= p.seats <= 3 for p in factory(Policy, seed=1).batch(30))


def test_bad_extension_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="pattern"):
        Extensions().add("(", "x")
    ext = Extensions().add(r"^seats$", lambda f: 99, kinds=["int"])
    with pytest.raises(ValidationError, match=r"seats") as caught:
        factory(Policy, seed=1, extensions=ext).build()
    assert "99" not in str(caught.value)


def test_unique_fields_are_unique_across_a_batch() -> None:
    # 52 one-letter values for 150 rows: retries, then numbered suffixes within max_length
    ext = Extensions().add("^code$", "?")
    codes = [t.code for t in factory(Tiny, seed=2, extensions=ext).batch(150)]
    assert len(set(codes)) == 150
    assert all(len(c) <= 6 for c in codes)
    skus = [p.sku for p in factory(Product, seed=2).batch(2000)]
    assert len(set(skus)) == 2000


def test_overrides_and_relation_objects() -> None:
    assert factory(Product, seed=1).build(name="Anvil", stock=3).name == "Anvil"
    author = factory(Author, seed=1).build(id=uuid4())
    post = factory(Post, seed=1).build(author=author)
    assert post.author_id == author.id
    with pytest.raises(ConfigurationError, match="has an id"):
        factory(Post, seed=1).build(author=factory(Author).build())
    with pytest.raises(ValidationError, match="price"):
        factory(Product, seed=1).build(price=-1)
    # unlinked optional foreign keys stay None (create() links required ones to real parents)
    assert all(e.manager_id is None for e in factory(Employee, seed=1).batch(20))


def test_batch_size_is_checked() -> None:
    with pytest.raises(ConfigurationError):
        factory(Product).batch(-1)


def test_seed_is_kept_to_replay() -> None:
    first = factory(Product)
    again = factory(Product, seed=first.seed)
    assert first.batch(5) == again.batch(5)


_DUMP = """
import json
from storied.testing import factory
from tests.models import Account, Everything, Price, Product
from tests.relmodels import Profile
out = [factory(m, seed=42).batch(20) for m in (Product, Everything, Account, Price, Profile)]
print(json.dumps([[o.model_dump(mode="json") for o in objs] for objs in out]))
"""


def _dump(hash_seed: str) -> object:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", _DUMP], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_same_seed_same_objects_in_separate_processes() -> None:
    one, two = _dump("1"), _dump("2")
    assert one == two
    in_process = [o.model_dump(mode="json") for o in factory(Profile, seed=42).batch(20)]
    assert one[-1] == in_process  # type: ignore[index]
    assert [o.model_dump(mode="json") for o in factory(Profile, seed=43).batch(20)] != in_process
