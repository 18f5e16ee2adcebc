"""storied over HTTP: FastAPI routers generated from the models (extra ``api``).

- :func:`crud_router` — the CRUD, history and bulk endpoints of one model.
- :func:`bootstrap` — routers for many models and the database opened in the app's lifespan.
- :func:`db_router` — the operations endpoints under ``/db`` (health, audit, diagrams,
  export/import, backup/restore).
- :func:`files_router` — upload and download routes of a model's file fields.
- :class:`Principal` — who is calling; the app's auth dependency returns it.
- :mod:`storied.api.problems` — every error as RFC 9457 problem+json, from one table.
- :func:`dev_header_auth` — ``X-User``/``X-Tenant`` identity for development only.

See ``docs/http.md``.
"""

from .bootstrap import bootstrap as bootstrap
from .crud import DEFAULT_PAGE_SIZE as DEFAULT_PAGE_SIZE
from .crud import MAX_PAGE_SIZE as MAX_PAGE_SIZE
from .crud import crud_router as crud_router
from .db import db_router as db_router
from .devauth import dev_header_auth as dev_header_auth
from .files import files_router as files_router
from .principal import AuthDependency as AuthDependency
from .principal import Principal as Principal
from .problems import PROBLEMS as PROBLEMS
from .problems import Problem as Problem
from .problems import ProblemError as ProblemError
from .problems import ProblemType as ProblemType
from .problems import install_problem_handlers as install_problem_handlers
from .problems import problem_responses as problem_responses

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "PROBLEMS",
    "AuthDependency",
    "Principal",
    "Problem",
    "ProblemError",
    "ProblemType",
    "bootstrap",
    "crud_router",
    "db_router",
    "dev_header_auth",
    "files_router",
    "install_problem_handlers",
    "problem_responses",
]
