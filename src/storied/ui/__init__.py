"""storied's history browser: server-rendered pages over the models (extra ``ui``).

- :func:`ui_router` — the pages for a set of models, mountable on any FastAPI app; or
  ``bootstrap(app, db, models=[…], auth=…, ui=True)`` mounts it under ``/ui``.

Pages: models → records (search, filters, sort, paging, deleted on request); a record with its
timeline of change sets and coloured diffs; scd2 versions, "as of" and compare; revert and
restore behind roles, with a confirmation, the row's ETag and CSRF protection; a tenant-wide
recent-changes feed. Templates, CSS and JavaScript ship in the package. See ``docs/ui.md``.
"""

from .router import ui_router as ui_router

__all__ = ["ui_router"]
