"""A development-only auth dependency: identity from ``X-User`` and ``X-Tenant`` headers.

Anyone can send any header, so this is for a laptop, never for a deployment. It is off unless
an app passes ``auth=dev_header_auth()``, and it says so in the OpenAPI document (its security
schemes are described as development-only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Security
from fastapi.security import APIKeyHeader

from .principal import Principal
from .problems import UNAUTHORIZED, ProblemError

WARNING = "DEVELOPMENT ONLY: the caller's identity is whatever this header says."


def dev_header_auth(*, admin_header: bool = False) -> Callable[..., Principal]:
    """A dependency returning ``Principal(actor=X-User, tenant_id=X-Tenant)``.

    Args:
        admin_header: also honour ``X-Admin: true`` (makes the caller an admin).
    """
    user = APIKeyHeader(name="X-User", scheme_name="DevUser", description=WARNING, auto_error=False)
    tenant = APIKeyHeader(
        name="X-Tenant", scheme_name="DevTenant", description=WARNING, auto_error=False
    )
    admin = APIKeyHeader(
        name="X-Admin", scheme_name="DevAdmin", description=WARNING, auto_error=False
    )

    def principal(
        actor: str | None = Security(user),
        tenant_id: str | None = Security(tenant),
        is_admin: str | None = Security(admin),
    ) -> Principal:
        if not actor:
            raise ProblemError(UNAUTHORIZED, "send X-User (development auth)")
        flag = admin_header and (is_admin or "").lower() == "true"
        return Principal(actor=actor, tenant_id=_tenant(tenant_id), admin=flag)

    return principal


def _tenant(value: str | None) -> Any:
    return value or None
