"""Operations on a storied database: ER diagrams, health, backup/restore, CSV export/import.

Named ``storied.admin`` rather than ``storied.ops``: ``ops`` is planned as the internal layer
of sans-I/O operations (the generators repositories run), and these are a different thing —
tools an administrator runs against a whole database. Each works without FastAPI and without the
CLI; the ``storied`` command and the HTTP database router are thin layers over these functions
(each takes a Database or a Registry and returns plain data or writes to a path/stream).
"""

from __future__ import annotations

from .aio import abackup as abackup
from .aio import aexport_csv as aexport_csv
from .aio import aimport_csv as aimport_csv
from .aio import arestore as arestore
from .aio import sync_twin as sync_twin
from .backup import BackupResult as BackupResult
from .backup import backup as backup
from .export import export_csv as export_csv
from .export import write_csv_export as write_csv_export
from .graph import Column as Column
from .graph import Graph as Graph
from .graph import Relation as Relation
from .graph import Table as Table
from .graph import build_graph as build_graph
from .graphviz import to_dot as to_dot
from .graphviz import to_svg as to_svg
from .health import Check as Check
from .health import Health as Health
from .health import Thresholds as Thresholds
from .health import ahealth as ahealth
from .health import health as health
from .importer import ImportReport as ImportReport
from .importer import RowError as RowError
from .importer import import_csv as import_csv
from .mermaid import to_mermaid as to_mermaid
from .restore import RestoreReport as RestoreReport
from .restore import restore as restore

__all__ = [
    "BackupResult",
    "Check",
    "Column",
    "Graph",
    "Health",
    "ImportReport",
    "Relation",
    "RestoreReport",
    "RowError",
    "Table",
    "Thresholds",
    "abackup",
    "aexport_csv",
    "ahealth",
    "aimport_csv",
    "arestore",
    "backup",
    "build_graph",
    "export_csv",
    "health",
    "import_csv",
    "restore",
    "sync_twin",
    "to_dot",
    "to_mermaid",
    "to_svg",
    "write_csv_export",
]
