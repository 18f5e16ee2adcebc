"""Who is calling: the ``Principal`` the app's auth dependency returns, and its repositories.

storied never reads identity from the request itself. The application supplies a FastAPI
dependency (``auth``) that authenticates the caller however it likes (OAuth2 bearer, session,
mTLS…) and returns a :class:`Principal`; each request's repository is built from it, so the
actor in the history is the authenticated one and tenancy fails closed exactly as in Python.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from storied import AsyncDatabase, AsyncRepository, Database, Model, Repository

from .problems import FORBIDDEN, ProblemError

AnyDatabase: TypeAlias = Database | AsyncDatabase
AnyRepository: TypeAlias = Repository[Any] | AsyncRepository[Any]
#: A FastAPI dependency (sync or async, with dependencies of its own) returning the caller.
AuthDependency: TypeAlias = Callable[..., "Principal | Awaitable[Principal]"]


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller.

    Attributes:
        actor: recorded as ``created_by``/``updated_by`` and in the history.
        tenant_id: the one tenant the caller reads and writes (the strict scope).
        tenant_ids: several tenants the caller may read; a write names its tenant on the row.
        roles: the caller's role names, checked with :meth:`require`.
        admin: may purge (hard delete) rows.
        unscoped: sees every tenant (an operator); never set it for an ordinary user.
    """

    actor: str
    tenant_id: Any = None
    tenant_ids: tuple[Any, ...] | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    admin: bool = False
    unscoped: bool = False

    def has_role(self, role: str) -> bool:
        return self.admin or role in self.roles

    def require(self, role: str) -> None:
        """Raise a 403 problem unless the caller has ``role`` (admins have every role)."""
        if not self.has_role(role):
            raise ProblemError(FORBIDDEN, f"this needs the {role!r} role")

    def repository(self, db: AnyDatabase, model: type[Model]) -> AnyRepository:
        """``db.repository(model, …)`` in this caller's scope, writing as this caller.

        A tenant-scoped model with no scope on the principal raises ``MissingTenantScope``
        (answered as 403): it fails closed.
        """
        if not model.storied_spec().options.tenant:
            return db.repository(model, actor=self.actor)
        return db.repository(
            model,
            tenant_id=self.tenant_id,
            tenant_ids=self.tenant_ids,
            unscoped=self.unscoped,
            actor=self.actor,
        )
