"""Each backend's own consistent snapshot: SQLite's online backup API, ``pg_dump -Fc``,
``mariadb-dump --single-transaction``. One module per backend, one small shape:

- ``sniff(head)``: whether the first bytes of a file are this backend's backup;
- ``backup(url, engine, path)``: write a snapshot of the database to ``path``;
- ``verify(path)``: refuse a file that is visibly broken, before anything is restored;
- ``restore(url, path)``: load the file into the (new, empty) database at ``url``.
"""

from __future__ import annotations

from types import ModuleType

from . import mariadb, postgresql, sqlite

#: backup kind → module (which kind a backend makes is its dialect's ``native_backup``)
MODULES: dict[str, ModuleType] = {"sqlite": sqlite, "pg_dump": postgresql, "mariadb-dump": mariadb}


def sniff(head: bytes) -> str | None:
    """The kind of native backup these first bytes start, if any."""
    return next((kind for kind, module in MODULES.items() if module.sniff(head)), None)
