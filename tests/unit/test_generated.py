"""The async repository facade is generated from the sync one and must be fresh."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from types import ModuleType

from storied import AsyncRepository, Repository
from storied.engine.async_executor import AsyncExecutor
from storied.engine.executor import SyncExecutor
from storied.engine.primitives import AsyncPrimitives, SyncPrimitives

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "unasync.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("unasync", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_asyncio_py_is_what_the_generator_writes() -> None:
    unasync = _script()
    assert unasync.TARGET.read_text(encoding="utf-8") == unasync.generate(), (
        "src/storied/repository/asyncio.py is stale or edited by hand: "
        "edit sync.py, then run python scripts/unasync.py"
    )


def test_async_executor_py_is_what_the_generator_writes() -> None:
    unasync = _script()
    assert unasync.EXECUTOR_TARGET.read_text(encoding="utf-8") == unasync.generate_executor(), (
        "src/storied/engine/async_executor.py is stale or edited by hand: "
        "edit executor.py (or primitives.py), then run python scripts/unasync.py"
    )


def test_every_executor_method_has_its_awaited_twin() -> None:
    for name, fn in vars(SyncExecutor).items():
        if inspect.isfunction(fn):
            twin = getattr(AsyncExecutor, name)
            assert inspect.iscoroutinefunction(twin), name
    for name in ("acquire", "execute", "text", "call_hook", "_lease", "_hand_back"):
        assert inspect.iscoroutinefunction(getattr(AsyncPrimitives, name)), name
        assert not inspect.iscoroutinefunction(getattr(SyncPrimitives, name)), name


def test_every_sync_method_is_a_coroutine_of_the_same_signature() -> None:
    names = [n for n, v in vars(Repository).items() if inspect.isfunction(v)]
    assert "update_many" in names
    assert "create" in names
    for name in names:
        sync_fn, async_fn = getattr(Repository, name), getattr(AsyncRepository, name)
        assert inspect.iscoroutinefunction(async_fn), name
        assert inspect.signature(sync_fn) == inspect.signature(async_fn), name


def test_the_rules_await_runners_methods_and_terminals() -> None:
    source = '''"""doc"""
from .io import SyncIO


class Repository(SyncIO[M]):
    def one(self, q):
        self._write("x", op)
        return query.all() + self.other(self._run(op)) + other.count()

    def other(self, x):
        return x


__all__: Sequence[str] = ["Repository"]
'''
    out = _script().generate(source)
    assert "async def one(self, q):" in out
    assert "async def other(self, x):" in out
    assert 'await self._write("x", op)' in out
    assert "await query.all() + await self.other(await self._run(op)) + other.count()" in out
    assert "class AsyncRepository(AsyncIO[M]):" in out
