"""Write ``src/storied/repository/asyncio.py`` from ``sync.py``: the async facade is generated.

    python scripts/unasync.py          # rewrite the file
    python scripts/unasync.py --check  # exit 1 if it is stale (tests/unit/test_generated.py)

The rules are few because the facades differ only in how they run things, and that lives in
``repository/io.py`` (``SyncIO`` / ``AsyncIO``, hand-written). Here every method of the
``Repository`` class becomes ``async def`` and each call of a method that runs something
(``self._run``, ``self._write`` and the public methods) is awaited; a query's terminal call
(``query.all()`` …) is awaited too. Hooks need no rule: they are requests of the operations
(``repository/writes.py``), which the async executor awaits. The result is
formatted with ruff, as the rest of the code.
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
RUNNERS = ("_run", "_write")
#: a Query's terminal methods, awaitable when the query runs on an AsyncRepository
TERMINALS = ("all", "first", "one", "count", "exists")


def _methods(tree: ast.Module) -> list[str]:
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Repository")
    return [n.name for n in cls.body if isinstance(n, ast.FunctionDef)]


def generate(source: str | None = None) -> str:
    text = SOURCE.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(text)
    doc = tree.body[0]
    assert isinstance(doc, ast.Expr)
    assert doc.end_lineno is not None
    lines = text.splitlines()
    body = "\n".join(lines[doc.end_lineno :])
    for old, new in WORDS:
        if old not in body:
            raise SystemExit(f"unasync: {old!r} is no longer in sync.py; update the rules")
        body = body.replace(old, new)
    body = re.sub(r"^    def ", "    async def ", body, flags=re.M)
    names = "|".join(map(re.escape, [*RUNNERS, *_methods(tree)]))
    body = re.sub(rf"(?<![\w.])self\.({names})\(", r"await self.\1(", body)
    terminals = "|".join(TERMINALS)
    body = re.sub(rf"(?<![\w.])query\.({terminals})\(", r"await query.\1(", body)
    out = f"{HEADER}\n{body}\n"
    return _format(out)


def _format(text: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(TARGET), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def main(argv: list[str]) -> int:
    fresh = generate()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != fresh:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python scripts/unasync.py")
            return 1
        return 0
    TARGET.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
