"""Scope objects and the predicates they add; fails closed when a scope is missing."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import ValidationError as PydanticValidationError

from ..errors import ConfigurationError, MissingTenantScope, TenantViolation, ValidationError
from ..models.spec import ModelSpec

Kind = Literal["tenant", "tenants", "unscoped", "untenanted"]


@dataclass(frozen=True, slots=True)
class Scope:
    """Which tenants a repository sees.

    ``tenant``: one tenant, reads and writes. ``tenants``: reads across the listed tenants,
    writes only to one of them, named on the row. ``unscoped``: the explicit admin scope.
    ``untenanted``: the model has no tenant column.
    """

    kind: Kind
    tenant_ids: tuple[Any, ...] = ()
    #: the scope's shape (kind, tenant count): what the SQL of a statement depends on
    shape: Hashable = field(init=False, repr=False, compare=False)
    _params: Mapping[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # worked out once: every statement of the scope's repositories asks for both
        object.__setattr__(self, "shape", (self.kind, len(self.tenant_ids)))
        params = {f"_t{i}": t for i, t in enumerate(self.tenant_ids)}
        object.__setattr__(self, "_params", MappingProxyType(params))

    def filters(self) -> bool:
        return self.kind in ("tenant", "tenants")

    def predicate(self, column: sa.ColumnElement[Any]) -> sa.ColumnElement[bool] | None:
        if self.kind == "tenant":
            return column == sa.bindparam("_t0")
        if self.kind == "tenants":
            return column.in_(
                [sa.bindparam(f"_t{i}", type_=column.type) for i in range(len(self.tenant_ids))]
            )
        return None

    def params(self) -> Mapping[str, Any]:
        """The tenant binds of the scope's predicates (read-only: merge it, as ``{**p}``)."""
        return self._params

    def tenant_for_write(self, model: str, given: Any) -> Any:
        """The tenant a new row gets; a foreign tenant is refused before anything is written."""
        if self.kind == "untenanted":
            return None
        if self.kind == "tenant":
            if given is not None and given != self.tenant_ids[0]:
                raise TenantViolation(f"{model}: the row names a tenant outside this scope")
            return self.tenant_ids[0]
        if given is None:
            raise TenantViolation(
                f"{model}: this scope spans several tenants (or none); set tenant_id on the row"
            )
        if self.kind == "tenants" and given not in self.tenant_ids:
            raise TenantViolation(f"{model}: the row names a tenant outside this scope")
        return given


def shaped(shape: Hashable) -> Scope:
    """A stand-in scope of ``shape`` (see ``Scope.shape``), for statement builders.

    A scope's SQL depends on its shape only (tenant ids are bound by name, never written into
    the SQL), so a builder keyed by the shape builds from this stand-in exactly the SQL of
    every scope of that shape."""
    kind: Kind
    count: int
    kind, count = shape  # type: ignore[misc]  # a Scope.shape: (kind, number of tenants)
    return Scope(kind, (None,) * count)


UNSCOPED = Scope("unscoped")
_UNTENANTED = Scope("untenanted")


def scope_for(scope: Scope, spec: ModelSpec) -> Scope:
    """The scope a related model is read in: the same tenants, or none if it has no tenant.

    A tenant-scoped model reached from an untenanted one has no tenant to go by: refused.
    """
    if not spec.options.tenant:
        return _UNTENANTED
    if scope.kind == "untenanted":
        raise ConfigurationError(
            f"{spec.name} is tenant-scoped but is reached from an untenanted model: "
            "query it through a repository with a tenant scope"
        )
    return scope


def make_scope(
    spec: ModelSpec,
    tenant_id: Any = None,
    tenant_ids: Iterable[Any] | None = None,
    unscoped: bool = False,
) -> Scope:
    given = sum(x for x in (tenant_id is not None, tenant_ids is not None, unscoped))
    if not spec.options.tenant:
        if given:
            raise ConfigurationError(f"{spec.name} is not tenant-scoped; pass no tenant scope")
        return _UNTENANTED
    if given == 0:
        raise MissingTenantScope(
            f"{spec.name} is tenant-scoped: pass tenant_id=…, tenant_ids=[…] or unscoped=True"
        )
    if given > 1:
        raise ConfigurationError("pass only one of tenant_id, tenant_ids, unscoped")
    if unscoped:
        return UNSCOPED
    if tenant_id is not None:
        return Scope("tenant", (_tenant(spec, "tenant_id", tenant_id),))
    ids = tuple(dict.fromkeys(_tenant(spec, "tenant_ids", t) for t in tenant_ids or ()))
    if not ids:
        raise ConfigurationError("tenant_ids must name at least one tenant")
    return Scope("tenants", ids)


def _tenant(spec: ModelSpec, name: str, value: Any) -> Any:
    """A tenant id as the model's tenant type; one of another type is storied's
    ``ValidationError`` naming the scope argument (never Pydantic's, never the value)."""
    try:
        return spec.tenant_adapter.validate_python(value)
    except PydanticValidationError:
        kind = getattr(spec.options.tenant_type, "__name__", str(spec.options.tenant_type))
        msg = f"a tenant id of {spec.name} must be a {kind}, not {type(value).__name__}"
        if isinstance(value, str):
            msg = f"a tenant id of {spec.name} must be a {kind}; this text is not one"
        raise ValidationError(f"{name}: {msg}", [{"loc": (name,), "msg": msg}]) from None
