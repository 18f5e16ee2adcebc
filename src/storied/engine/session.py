"""The tenant scope a connection's session carries, for Row-Level Security (PostgreSQL).

With ``Database(row_level_security=True)`` each operation runs on a connection whose settings
(``storied.tenant_ids``, ``storied.unscoped``: see ``dialects/row_security.py``) name the
scope it runs in: its repository's, else the one ``db.tenant_scope(...)`` opened in this
context, else none at all (no row visible, no write admitted: the policy fails closed).

Setting them costs a round trip, so each lease remembers what its session holds
(``Lease.session``) and the executor sends ``set_config`` only when the operation needs
something else. What a lease remembers is forgotten (None: unknown, set before the next use)
whenever the server may have undone it: a ROLLBACK, a ROLLBACK TO SAVEPOINT or a failed
COMMIT reverts a ``set_config`` made inside the transaction, so each of them forgets; a new
connection (a reconnect included) starts unknown, since the pool below may hand over a
connection someone else used. ``is_local`` settings are not used: they would need a
transaction around every single-statement operation (BEGIN and COMMIT: two more round trips).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa

from ..dialects import url_capabilities
from ..dialects.row_security import SET_SCOPE, refused
from ..errors import ConfigurationError
from ..ops.requests import Exec, Statement
from ..tenancy.session import NO_SCOPE, SessionScope, given_scope

__all__ = ["CONTEXT_SCOPE", "SessionScope", "checked_option", "opened", "set_request"]

#: the scope ``db.tenant_scope(...)`` opened in this context (raw SQL, untenanted models)
CONTEXT_SCOPE: ContextVar[SessionScope] = ContextVar("storied_session_scope", default=NO_SCOPE)

SET_STATEMENT = Statement(sa.text, (SET_SCOPE,))


def checked_option(on: bool, url: sa.URL) -> bool:
    """``row_level_security`` as given, refused where the backend has none."""
    if not isinstance(on, bool):
        raise ConfigurationError("row_level_security must be True or False")
    caps = url_capabilities(url)
    if on and (caps is None or not caps.row_security):
        raise ConfigurationError(refused(url.get_backend_name()))
    return on


def set_request(wanted: SessionScope) -> Exec:
    return Exec(SET_STATEMENT, {"tenants": wanted[0], "unscoped": wanted[1]})


@contextmanager
def opened(
    tenant_id: Any = None, tenant_ids: Iterable[Any] | None = None, unscoped: bool = False
) -> Iterator[None]:
    """Run what this context sends (raw SQL included) in one tenant scope."""
    token = CONTEXT_SCOPE.set(given_scope(tenant_id, tenant_ids, unscoped))
    try:
        yield
    finally:
        CONTEXT_SCOPE.reset(token)
