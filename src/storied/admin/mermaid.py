"""Mermaid ``erDiagram`` text from a :class:`~storied.admin.graph.Graph`.

Mermaid's grammar is narrow: entity and attribute names and types are words of letters, digits
and ``_`` (no dots, no spaces, no commas: ``DECIMAL(8,2)`` and ``public.orders`` do not parse).
Every name and type is therefore written as such a word, and the exact SQL type, when it had to
be respelled, goes into the attribute's comment, which is a quoted string without quotes.
"""

from __future__ import annotations

import re

from .graph import Column, Graph, Relation, Table

_NOT_WORD = re.compile(r"[^A-Za-z0-9_]+")


def word(text: str) -> str:
    """``text`` as a Mermaid word: runs of other characters become one ``_``."""
    out = _NOT_WORD.sub("_", text).strip("_") or "x"
    return out if re.match(r"[A-Za-z_]", out) else f"_{out}"


def to_mermaid(graph: Graph) -> str:
    """The graph as a Mermaid ``erDiagram`` (history tables noted in ``%%`` comments)."""
    names = _entity_names(graph)
    lines = ["erDiagram"]
    for table in graph.tables:
        lines += _entity(table, names[table.name])
    for relation in graph.relations:
        lines.append(_relation(relation, names))
    return "\n".join(lines) + "\n"


def _entity_names(graph: Graph) -> dict[str, str]:
    """One distinct Mermaid word per table (``a.b`` and ``a_b`` must not merge)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for table in graph.tables:
        base = candidate = word(table.name)
        n = 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        taken.add(candidate)
        names[table.name] = candidate
    return names


def _entity(table: Table, name: str) -> list[str]:
    about = {
        "model": f"{table.model} (history: {table.history})",
        "audit": f"audit trail of {table.model}",
        "identity": f"identity of {table.model} (one row per id; versions point here)",
        "extra": f"table of {table.model}",
    }[table.kind]
    lines = [f"    %% {table.name}: {about}", f"    {name} {{"]
    lines += [f"        {_attribute(c)}" for c in table.columns]
    lines.append("    }")
    return lines


def _attribute(column: Column) -> str:
    keys = [
        k
        for k, on in (
            ("PK", column.primary_key),
            ("FK", bool(column.foreign_key)),
            ("UK", column.unique and not column.primary_key),
        )
        if on
    ]
    notes = []
    spelled = word(column.type)
    if spelled != column.type:
        notes.append(column.type)
    if column.tenant:
        notes.append("tenant")
    if column.nullable:
        notes.append("null")
    if column.name != word(column.name):
        notes.append(f"column {column.name}")
    text = f"{spelled} {word(column.name)}"
    if keys:
        text += " " + ", ".join(keys)
    if notes:
        text += ' "' + "; ".join(notes).replace('"', "'") + '"'
    return text


def _relation(relation: Relation, names: dict[str, str]) -> str:
    # parent side: exactly one, or zero-or-one when the foreign key may be NULL
    parent = "|o" if relation.optional else "||"
    child = "o|" if relation.cardinality == "one-to-one" else "o{"
    label = ", ".join(relation.columns).replace('"', "'")
    return f'    {names[relation.parent]} {parent}--{child} {names[relation.child]} : "{label}"'
