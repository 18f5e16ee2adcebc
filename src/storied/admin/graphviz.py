"""Graphviz DOT text (and SVG through ``dot``) from a :class:`~storied.admin.graph.Graph`."""

from __future__ import annotations

import html

from .graph import Column, Graph, Relation, Table
from .tools import run

_FILL = {"model": "#e8f0fe", "audit": "#fff4e5", "identity": "#f3e8fd", "extra": "#eeeeee"}


def _id(text: str) -> str:
    """A DOT quoted ID: backslashes and double quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: Graph) -> str:
    """The graph as a DOT digraph: one HTML-like table per table, one edge per foreign key."""
    lines = [
        "digraph storied {",
        "  graph [rankdir=LR, fontname=Helvetica];",
        "  node [shape=plaintext, fontname=Helvetica];",
        "  edge [fontname=Helvetica, fontsize=10];",
    ]
    lines += [f"  {_id(t.name)} [label=<{_label(t)}>];" for t in graph.tables]
    lines += [f"  {_edge(r)};" for r in graph.relations]
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(graph: Graph, *, timeout: float = 60.0) -> bytes:
    """SVG drawn by Graphviz's ``dot`` (MissingToolError naming the package when absent)."""
    return run(["dot", "-Tsvg"], what="ER diagram", stdin=to_dot(graph).encode(), timeout=timeout)


def _label(table: Table) -> str:
    e = html.escape
    kind = "" if table.kind == "model" else f" ({table.kind})"
    head = f"{e(table.name)}{e(kind)}<br/><font point-size='9'>{e(table.model)}</font>"
    rows = [
        f'<tr><td bgcolor="{_FILL[table.kind]}" colspan="3"><b>{head}</b></td></tr>',
        *(_row(c) for c in table.columns),
    ]
    return '<table border="0" cellborder="1" cellspacing="0">' + "".join(rows) + "</table>"


def _row(column: Column) -> str:
    e = html.escape
    keys = ", ".join(
        k
        for k, on in (
            ("PK", column.primary_key),
            ("FK", bool(column.foreign_key)),
            ("UK", column.unique and not column.primary_key),
            ("tenant", column.tenant),
        )
        if on
    )
    name = f"<u>{e(column.name)}</u>" if column.primary_key else e(column.name)
    kind = e(column.type) + ("" if not column.nullable else " ?")
    return f'<tr><td align="left">{name}</td><td align="left">{kind}</td><td>{e(keys)}</td></tr>'


def _edge(relation: Relation) -> str:
    # crow's foot: many children, one parent (odot where the key may be NULL)
    tail = "none" if relation.cardinality == "one-to-one" else "crow"
    head = "teeodot" if relation.optional else "teetee"
    label = ", ".join(relation.columns)
    return (
        f"{_id(relation.child)} -> {_id(relation.parent)} "
        f"[label={_id(label)}, arrowtail={tail}, arrowhead={head}, dir=both]"
    )
