"""Field values as the browser shows them, and coloured diffs of old → new.

Text is compared word by word, JSON (dicts, lists) line by line after a stable pretty-print,
anything else as a whole. Every piece is HTML-escaped here; the markup is only ``<del>`` and
``<ins>``, which read as "removed"/"added" without styles too.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape
from pydantic_core import to_jsonable_python

_WORDS = re.compile(r"(\s+)")


def show(value: Any) -> str:
    """A value as text: JSON for containers, ``—`` for nothing."""
    if value is None:
        return "—"
    if isinstance(value, dict | list | tuple):
        return _json(value)
    if hasattr(value, "model_dump"):
        return _json(value.model_dump(mode="json"))
    if hasattr(value, "value") and not isinstance(value, str | int | float):  # an Enum
        return str(value.value)
    return str(value)


def _json(value: Any) -> str:
    data = to_jsonable_python(value, bytes_mode="base64")
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def _is_json(value: Any) -> bool:
    return isinstance(value, dict | list | tuple) or hasattr(value, "model_dump")


def diff(old: Any, new: Any) -> Markup:
    """``old → new`` as HTML: the parts removed in ``<del>``, the parts added in ``<ins>``."""
    if _is_json(old) or _is_json(new):
        return _lines(show(old) if old is not None else "", show(new) if new is not None else "")
    if isinstance(old, str) and isinstance(new, str):
        return _words(old, new)
    if old is None:  # a field set by a create: nothing was there to remove
        return Markup(_part("ins", show(new)))
    return Markup(f"{_part('del', show(old))}{ARROW}{_part('ins', show(new))}")


ARROW = "<span class=arrow aria-hidden=true> → </span>"


def _part(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>"


def _opcodes(a: list[str], b: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _words(old: str, new: str) -> Markup:
    a, b = _WORDS.split(old), _WORDS.split(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(_part("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(_part("ins", "".join(b[j1:j2])))
    return Markup(f"<span class=text-diff>{''.join(out)}</span>")


def _lines(old: str, new: str) -> Markup:
    a, b = old.splitlines(), new.splitlines()
    rows: list[str] = []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            rows += (f"<span>{escape(line)}</span>" for line in a[i1:i2])
            continue
        rows += (_part("del", line) for line in a[i1:i2])
        rows += (_part("ins", line) for line in b[j1:j2])
    return Markup(f"<pre class=json-diff>{chr(10).join(rows)}</pre>")
