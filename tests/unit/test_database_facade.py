"""Database and AsyncDatabase: one facade written once, with explicit, typed keywords."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from storied import AsyncDatabase, ConfigurationError, Database
from storied.engine.core import DatabaseCore

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {
    "registry",
    "analyze_after_bulk",
    "clock",
    "id_factory",
    "pool_size",
    "max_overflow",
    "pool_timeout",
    "pool_pre_ping_after",
    "statement_timeout",
    "events_include_params",
    "echo",
    "on_commit_error",
    "replicas",
    "read_your_writes",
    "max_replica_lag",
    "replica_check_interval",
    "row_level_security",
    "history_partitions",
    "retries",
    "circuit_breaker",
    "tenant_leading_keys",
}
#: the methods that talk to the database: coroutines on AsyncDatabase, plain calls on Database
IO = {
    "connect",
    "close",
    "create_all",
    "drop_all",
    "plan",
    "apply",
    "sync_schema",
    "atomic",
    "on_commit",
    "fetch_all",
    "fetch_one",
    "fetch_value",
    "execute",
}


def _public(cls: type) -> dict[str, object]:
    return {
        name: getattr(cls, name)
        for name in dir(cls)
        if not name.startswith("_") and callable(getattr(cls, name))
    }


@pytest.mark.parametrize("cls", [Database, AsyncDatabase])
def test_every_keyword_is_explicit_typed_and_documented(cls: type) -> None:
    params = inspect.signature(cls).parameters
    assert not [p for p in params.values() if p.kind is p.VAR_KEYWORD], "no **options"
    keywords = {n for n, p in params.items() if p.kind is p.KEYWORD_ONLY}
    assert keywords == KEYWORDS
    docs = inspect.getdoc(DatabaseCore.__init__) or ""
    page = (ROOT / "docs" / "connections.md").read_text(encoding="utf-8")
    for name in keywords:
        assert params[name].annotation is not inspect.Parameter.empty, name
        assert f"{name}:" in docs, f"{name} is not in the Args of Database's docstring"
        assert f"| `{name}` |" in page, f"{name} is not in docs/connections.md's table"


@pytest.mark.parametrize("cls", [Database, AsyncDatabase])
def test_an_unknown_keyword_is_a_type_error(cls: type) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'pool_sise'"):
        cls("sqlite://", pool_sise=5)


@pytest.mark.parametrize("cls", [Database, AsyncDatabase])
@pytest.mark.parametrize("url", ["nonsense", "", "sqlite//app.db", "://"])
def test_a_string_that_is_not_a_url_is_a_configuration_error(cls: type, url: str) -> None:
    with pytest.raises(ConfigurationError, match="not a database URL") as caught:
        cls(url)
    # SQLAlchemy's ArgumentError is neither chained nor the type raised
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_the_twins_have_the_same_methods_with_the_same_signatures() -> None:
    sync, async_ = _public(Database), _public(AsyncDatabase)
    assert set(sync) == set(async_)
    assert set(sync) >= IO
    for name in sync:
        one, other = inspect.signature(sync[name]), inspect.signature(async_[name])
        # atomic takes a coroutine function, transaction and repository return async things:
        # the same parameters and defaults, other annotations
        assert [(p.name, p.kind, p.default) for p in one.parameters.values()] == [
            (p.name, p.kind, p.default) for p in other.parameters.values()
        ], name
        if name not in ("atomic", "transaction", "repository"):
            assert one == other, name
        assert inspect.iscoroutinefunction(async_[name]) == (name in IO), name
        assert not inspect.iscoroutinefunction(sync[name]), name
        assert inspect.getdoc(sync[name]), f"Database.{name} has no docstring"


def test_the_shared_methods_read_as_the_twins_own() -> None:
    assert Database.plan.__qualname__ == "Database.plan"
    assert AsyncDatabase.sync_schema.__qualname__ == "AsyncDatabase.sync_schema"
    assert str(inspect.signature(Database.plan).return_annotation) == "Plan"
    assert "tenant_id" in inspect.signature(AsyncDatabase.repository).parameters
    assert Database.create_all.__doc__ == AsyncDatabase.create_all.__doc__


def test_dry_database_uses_no_private_attribute_of_database() -> None:
    """testing.DryDatabase goes through Database's documented seam (``use_executor``,
    ``connected``), not its private attributes."""
    private = {
        name
        for cls in (Database, DatabaseCore)
        for name in vars(cls)
        if name.startswith("_") and not name.startswith("__")
    } | {"_executor", "_engine", "_backend_info", "_returning"}
    tree = ast.parse((ROOT / "src/storied/testing/dry.py").read_text(encoding="utf-8"))
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in private
    }
    assert not used, f"DryDatabase reads Database's private {sorted(used)}"
