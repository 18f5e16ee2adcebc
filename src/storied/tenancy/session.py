"""A scope as the session settings Row-Level Security reads (``dialects/row_security.py``).

``(tenants, unscoped)``: the scope's tenants as an array literal, and "on" for the explicit
admin scope. The executor sets them on a connection before an operation that needs another
scope than the one its session holds (``engine/session.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..dialects.row_security import array_literal
from ..errors import ConfigurationError
from .scope import Scope

SessionScope = tuple[str, str]

#: no scope: no tenant, not the admin scope (a session set so sees no row)
NO_SCOPE: SessionScope = ("{}", "")
ADMIN: SessionScope = ("{}", "on")


def session_scope(scope: Scope) -> SessionScope | None:
    """A repository's scope as settings; None for an untenanted model (it runs in the
    context's scope: its tables have no policy)."""
    if scope.kind == "unscoped":
        return ADMIN
    if scope.kind == "untenanted":
        return None
    return (array_literal(scope.tenant_ids), "")


def given_scope(
    tenant_id: Any = None, tenant_ids: Iterable[Any] | None = None, unscoped: bool = False
) -> SessionScope:
    """The settings of a scope given as ``db.tenant_scope``'s arguments (exactly one)."""
    given = sum(x for x in (tenant_id is not None, tenant_ids is not None, unscoped is True))
    if given != 1:
        raise ConfigurationError("tenant_scope takes one of tenant_id, tenant_ids, unscoped=True")
    if unscoped:
        return ADMIN
    if tenant_id is not None:
        return (array_literal([tenant_id]), "")
    ids = list(dict.fromkeys(tenant_ids or ()))
    if not ids or any(t is None for t in ids):
        raise ConfigurationError("tenant_ids must name at least one tenant, and no None")
    return (array_literal(ids), "")
