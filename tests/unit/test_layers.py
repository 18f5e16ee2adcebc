"""The package import graph, read from the code: layers point down, no cycles, no dodges.

Every ``import`` in ``src/storied`` counts: at module level, inside functions, and under
``if TYPE_CHECKING:`` (a type-only import upward is still a layer pointing up). The graph is
built with ``ast``, so nothing is imported to draw it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
ROOT = SRC / "storied"

#: bottom to top: a package may import only the packages before it (and itself). The core
#: ends at ``engine`` (Database/AsyncDatabase) and the package root's curated API; the outer
#: packages come after it (docs/architecture.md, "Layers").
LAYERS = (
    "_compat",  # every private library API storied uses, each with its reason
    "errors",
    "ops",
    "sql",
    "dialects",
    "models",
    "mapping",
    "tenancy",
    "relationships",
    "query",
    "reads",
    "temporal",
    "repository",
    "schema",
    "engine",
    "",  # storied/__init__.py
    "otel",  # OpenTelemetry spans and metrics over the public db.events (extra `otel`)
    "storage",
    "admin",
    "testing",
    "api",
    "ui",
    "cli",
)
OUTER = frozenset({"otel", "storage", "admin", "testing", "api", "ui", "cli"})

#: imports inside functions that are allowed, by importing module, and why. None of them
#: dodges a cycle: each defers an optional extra or a command's own dependencies.
LAZY: dict[str, str] = {
    "storied.cli": "`storied --help` starts without loading Typer's app until it runs",
    "storied.cli.app": "the version is read when `--version` is asked for",
    "storied.cli.loading": "the user's models module is imported when a command needs it",
    "storied.cli.ops": "each command loads the core and `admin` only when it runs",
    "storied.cli.schema": "each command loads the core and `schema` only when it runs",
    "storied.cli.serve": "`storied serve` loads the core, `api` and uvicorn only when it runs",
    "storied.storage._url": "s3:// and az:// need the `storage` extra (obstore): loaded on use",
    "storied.testing.plugin": "the pytest plugin loads polyfactory only when a factory is made",
    "storied.api.bootstrap": "bootstrap(ui=True) mounts the `ui` extra (Jinja2) only when asked",
}
#: the one import that points up, with its reason: ``ui`` is built on ``api`` and
#: ``api.bootstrap(ui=True)`` mounts it, lazily. Moving that switch out of ``api`` (an app
#: includes ``ui_router`` itself) would remove it; it is left for the ui/api owners.
UPWARD: dict[tuple[str, str], str] = {
    ("storied.api.bootstrap", "storied.ui"): "the optional ui extra, mounted by bootstrap(ui=True)",
}


@dataclass(frozen=True)
class Edge:
    source: str  # importing module
    target: str  # imported module (or package)
    line: int
    kind: str  # "module", "function" or "type"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join([*base, *([node.module] if node.module else [])])
    else:
        prefix = node.module or ""
    # ``from pkg import name``: the submodule if ``name`` is one, else the package itself
    out = [f"{prefix}.{a.name}" for a in node.names if f"{prefix}.{a.name}" in MODULES]
    return out or [prefix]


def _edges() -> list[Edge]:
    edges: list[Edge] = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        kinds: dict[int, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                kinds.update((id(n), "type") for n in ast.walk(node))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    kinds.setdefault(id(inner), "function")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(node, module, path.name == "__init__.py"):
                if target == "storied" or target.startswith("storied."):
                    kind = kinds.get(id(node), "module")
                    edges.append(Edge(module, target, node.lineno, kind))
    return edges


ALL_EDGES = _edges()
EDGES = [e for e in ALL_EDGES if (e.source, e.target) not in UPWARD]


def package(module: str) -> str:
    """``storied.temporal.scd2`` → ``temporal``; ``storied.errors`` → ``errors``; root: ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def package_graph(edges: list[Edge]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if package(e.source) != package(e.target):
            graph[package(e.source)].add(package(e.target))
    return graph


def test_the_graph_is_read() -> None:
    # the reader itself: known edges of each kind are found, relative imports resolved
    found = {(e.source, e.target, e.kind) for e in EDGES}
    assert ("storied.temporal.scd2", "storied.ops.requests", "module") in found
    assert ("storied.repository.base", "storied.repository.host", "type") in found
    assert ("storied.storage._url", "storied.storage.s3", "function") in found
    assert ("storied.api.crud", "storied", "module") in {
        (e.source, e.target, e.kind) for e in EDGES if e.source == "storied.api.crud"
    }


def test_every_package_has_a_layer() -> None:
    packages = {package(m) for m in MODULES}
    assert packages == set(LAYERS), "add the new package to LAYERS (and docs/architecture.md)"


def test_no_cycle_between_packages() -> None:
    assert _cycles(package_graph(EDGES)) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("layer", [name or "<root>" for name in LAYERS])
def test_layers_point_down(layer: str) -> None:
    name = "" if layer == "<root>" else layer
    rank = {n: i for i, n in enumerate(LAYERS)}
    upward = [
        f"{e.source}:{e.line} imports {e.target} ({e.kind})"
        for e in EDGES
        if package(e.source) == name and rank[package(e.target)] > rank[name]
    ]
    assert upward == []


def test_the_core_never_imports_the_outer_packages() -> None:
    core = [e for e in EDGES if package(e.source) not in OUTER]
    assert [e for e in core if package(e.target) in OUTER] == []


def test_the_upward_list_is_exactly_what_the_code_does() -> None:
    found = {(e.source, e.target) for e in ALL_EDGES if (e.source, e.target) in UPWARD}
    assert found == set(UPWARD)


def test_no_import_inside_a_function_except_the_listed_ones() -> None:
    lazy = [e for e in ALL_EDGES if e.kind == "function" and e.source not in LAZY]
    assert [f"{e.source}:{e.line} imports {e.target}" for e in lazy] == []


def test_the_lazy_list_has_no_stale_entries() -> None:
    users = {e.source for e in ALL_EDGES if e.kind == "function"}
    assert set(LAZY) <= users
    assert all(package(m) in OUTER for m in LAZY), "the core imports nothing lazily"


#: private library attributes: used only in storied/_compat.py, each pinned by
#: tests/unit/test_compat.py
PRIVATE_ATTRIBUTES = (
    "._copy(",
    "__class__ =",
    "identifier_preparer =",
    "__pydantic_fields_set__",
    "__pydantic_private__",
    "__pydantic_extra__",
    "__pydantic_base_init__",
    "_produce_net_changes",
    "_variant_mapping",
)
#: library modules with no public promise: imported only by storied/_compat.py
PRIVATE_MODULES = ("sqlalchemy.util", "sqlalchemy.sql.util")
#: SQLAlchemy reads these on a custom ColumnElement to traverse into it (see _compat.py)
ELEMENT_HOOKS = ("_traverse_internals", "_from_objects")
ELEMENTS = {"storied.sql.like", "storied.sql.unindexed"}


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


def test_private_library_apis_only_in_compat() -> None:
    found = []
    for module, path in MODULES.items():
        if module == "storied._compat":
            continue
        names = PRIVATE_ATTRIBUTES + (() if module in ELEMENTS else ELEMENT_HOOKS)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{module}:{number}: {n}" for n in names if n in line.split("#")[0]]
        for number, name in _imported_modules(path):
            private = name in PRIVATE_MODULES or any(p.startswith("_") for p in name.split("."))
            if private and not name.startswith(("storied", "__future__")):
                found.append(f"{module}:{number}: imports {name}")
    assert found == []
