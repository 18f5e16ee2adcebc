"""storied's pytest plugin, used by this suite itself (loaded through its entry point).

This suite runs the plugin's fixtures on its default backend (SQLite); the example project
(tests/docs/test_testing_project.py) runs them on all three servers from a subprocess.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from storied import Database, FrozenClock
from storied.testing.plugin import StoriedSession
from tests.models import Account, Product
from tests.relmodels import Author, Post


def test_the_plugin_is_loaded_once_through_its_entry_point(pytestconfig: pytest.Config) -> None:
    plugins = [p for p in pytestconfig.pluginmanager.get_plugins() if p is not None]
    assert sum(getattr(p, "__name__", "") == "storied.testing.plugin" for p in plugins) == 1


def test_rows_do_not_leak_between_tests_first(
    storied_repository: Callable[..., Any], storied_factory: Callable[..., Any]
) -> None:
    repo = storied_repository(Product)
    storied_factory(Product).create_batch(repo, 3)
    assert repo.count() == 3


def test_rows_do_not_leak_between_tests_second(
    storied_repository: Callable[..., Any], storied_db: Database
) -> None:
    # the same tables, emptied after the previous test (whatever tenant wrote them)
    assert storied_db.repository(Product, unscoped=True).count() == 0
    assert storied_repository(Product).count() == 0


def test_clock_tenant_actor(
    storied_repository: Callable[..., Any],
    storied_clock: FrozenClock,
    storied_tenant: UUID,
    storied_actor: str,
    storied_factory: Callable[..., Any],
) -> None:
    repo = storied_repository(Account)
    account = storied_factory(Account).create(repo)
    assert account.created_at == storied_clock.now()
    assert account.tenant_id == storied_tenant
    storied_clock.advance(hours=1)
    updated = repo.update(account.id, counter=5)
    assert updated.updated_at == storied_clock.now()
    assert [c.actor for c in repo.history(account.id)] == [storied_actor, storied_actor]


def test_factory_fixture_is_reproducible_and_shared(
    storied_factory: Callable[..., Any], storied_tenant: UUID, storied_session: StoriedSession
) -> None:
    assert storied_factory(Product) is storied_factory(Product)
    assert storied_factory(Product, names=False) is not storied_factory(Product)
    rng = storied_session.rng("some::test", "Product").getrandbits(32)
    assert rng == storied_session.rng("some::test", "Product").getrandbits(32)


def test_parents_through_plugin_repositories(
    storied_repository: Callable[..., Any], storied_factory: Callable[..., Any]
) -> None:
    storied_repository(Author)  # its table; the post's factory creates the author
    posts = storied_factory(Post).create_batch(storied_repository(Post), 2)
    assert storied_repository(Author).count() == 1
    assert len({p.author_id for p in posts}) == 1


async def test_async_database(storied_adb: Any, storied_tenant: UUID) -> None:
    await storied_adb.create_all([Product])
    repo = storied_adb.repository(Product, tenant_id=storied_tenant)
    from storied.testing import factory

    await factory(Product, seed=1).acreate_batch(repo, 2)
    assert await repo.count() == 2


def test_unknown_backend_is_a_usage_error(tmp_path: Any) -> None:
    (tmp_path / "test_x.py").write_text("def test_x(storied_db):\n    pass\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(tmp_path), "--storied-backend", "oracle", "-q"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 4
    assert "unknown backend(s) ['oracle']" in done.stderr


def test_plugin_loads_without_the_testing_extra() -> None:
    code = (
        "import sys; sys.modules['polyfactory'] = sys.modules['faker'] = None; "
        "import storied.testing.plugin"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
