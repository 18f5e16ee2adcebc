"""Generate the async twins: ``repository/asyncio.py`` from ``repository/sync.py`` and
``engine/async_executor.py`` from ``engine/executor.py``.

    python scripts/unasync.py          # rewrite both files
    python scripts/unasync.py --check  # exit 1 if one is stale (tests/unit/test_generated.py)

The rules are few because the twins differ only in how they run things, and that lives in
hand-written code: ``repository/io.py`` (``SyncIO`` / ``AsyncIO``) for the facade,
``engine/primitives.py`` (``SyncPrimitives`` / ``AsyncPrimitives``: a connection, a statement,
a hook) for the executor. In the facade every method of ``Repository`` becomes ``async def``
and each call of a method that runs something (``self._run``, ``self._write`` and the public
methods) is awaited; a query's terminal call (``query.all()`` …) is awaited too. Hooks need no
rule: they are requests of the operations (``repository/writes.py``), which the async executor
awaits. In the executor every method becomes ``async def`` and each call of a primitive or of
another of its methods is awaited. The results are formatted with ruff, as the rest of the code.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src/storied/repository/sync.py"
TARGET = ROOT / "src/storied/repository/asyncio.py"

HEADER = '''"""``AsyncRepository``: the same operations as ``Repository``, awaited.

Generated from ``sync.py`` by ``scripts/unasync.py``: edit that file, then run the script.
"""'''
WORDS = [
    ("from .io import SyncIO", "from .io import AsyncIO"),
    ("class Repository(SyncIO[M]):", "class AsyncRepository(AsyncIO[M]):"),
    ('__all__: Sequence[str] = ["Repository"]', '__all__: Sequence[str] = ["AsyncRepository"]'),
]
#: runners defined in io.py that are coroutines on the async side
RUNNERS = ("_run", "_write", "_bulk_written")
#: a Query's terminal methods, awaitable when the query runs on an AsyncRepository
TERMINALS = ("all", "first", "one", "count", "exists")


EXECUTOR_SOURCE = ROOT / "src/storied/engine/executor.py"
EXECUTOR_TARGET = ROOT / "src/storied/engine/async_executor.py"
EXECUTOR_HEADER = '''"""The async executor: the same operations and rules as ``engine/executor.py``.

Generated from ``executor.py`` by ``scripts/unasync.py``: edit that file (or what really
differs, ``primitives.py``), then run the script.
"""'''
EXECUTOR_WORDS = [
    ("from .ambient import AMBIENT, Ambient, ambient_for", "from .ambient import ambient_for"),
    ("from .async_executor import AsyncExecutor\n", ""),
    ("from .primitives import SyncPrimitives", "from .primitives import AsyncPrimitives"),
    (
        '__all__ = ["AMBIENT", "Ambient", "AsyncExecutor", "SyncExecutor", "ambient_for"]',
        '__all__ = ["AsyncExecutor"]',
    ),
    ("class SyncExecutor(SyncPrimitives):", "class AsyncExecutor(AsyncPrimitives):"),
]
#: the primitives (primitives.py) that are coroutines on the async side
PRIMITIVES = ("acquire", "_lease", "_hand_back", "_install", "call_hook", "execute", "text")


def _methods(tree: ast.Module, name: str = "Repository") -> list[str]:
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name)
    return [n.name for n in cls.body if isinstance(n, ast.FunctionDef)]


def _body(text: str, words: list[tuple[str, str]]) -> tuple[ast.Module, str]:
    """The module after its docstring, with ``words`` replaced and methods made async."""
    tree = ast.parse(text)
    doc = tree.body[0]
    assert isinstance(doc, ast.Expr)
    assert doc.end_lineno is not None
    body = "\n".join(text.splitlines()[doc.end_lineno :])
    for old, new in words:
        if old not in body:
            raise SystemExit(f"unasync: {old!r} is no longer in the source; update the rules")
        body = body.replace(old, new)
    return tree, re.sub(r"^    def ", "    async def ", body, flags=re.M)


def generate_executor(source: str | None = None) -> str:
    text = EXECUTOR_SOURCE.read_text(encoding="utf-8") if source is None else source
    tree, body = _body(text, EXECUTOR_WORDS)
    names = "|".join(map(re.escape, [*PRIMITIVES, *_methods(tree, "SyncExecutor"), "pool.release"]))
    body = re.sub(rf"(?<![\w.])self\.({names})\(", r"await self.\1(", body)
    return _format(f"{EXECUTOR_HEADER}\n{body}\n", EXECUTOR_TARGET)


def generate(source: str | None = None) -> str:
    text = SOURCE.read_text(encoding="utf-8") if source is None else source
    tree, body = _body(text, WORDS)
    names = "|".join(map(re.escape, [*RUNNERS, *_methods(tree)]))
    body = re.sub(rf"(?<![\w.])self\.({names})\(", r"await self.\1(", body)
    terminals = "|".join(TERMINALS)
    body = re.sub(rf"(?<![\w.])query\.({terminals})\(", r"await query.\1(", body)
    out = f"{HEADER}\n{body}\n"
    return _format(out, TARGET)


def _format(text: str, target: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(target), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def main(argv: list[str]) -> int:
    stale = 0
    for target, fresh in ((TARGET, generate()), (EXECUTOR_TARGET, generate_executor())):
        if "--check" not in argv:
            target.write_text(fresh, encoding="utf-8")
        elif target.read_text(encoding="utf-8") != fresh:
            print(f"{target.relative_to(ROOT)} is stale: run python scripts/unasync.py")
            stale = 1
    return stale


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
