"""Per-model options given as class keywords: ``class P(Model, table="p", history="scd2")``."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any, Literal
from uuid import UUID

from ..errors import ModelDefinitionError

History = Literal["none", "copy_on_change", "scd2"]
PrimaryKey = Literal["uuid", "int"]

_INHERITED = ("history", "tenant", "tenant_column", "tenant_type", "soft_delete", "primary_key")


@dataclass(frozen=True, slots=True)
class ModelOptions:
    """How a model maps to its table(s)."""

    table: str
    db_schema: str | None = None
    history: History = "none"
    tenant: bool = True
    tenant_column: str = "tenant_id"
    tenant_type: type = UUID
    soft_delete: bool = True
    primary_key: PrimaryKey = "uuid"
    renamed_from: str | None = None
    abstract: bool = False

    @classmethod
    def from_class_kwargs(
        cls, class_name: str, kwargs: dict[str, Any], parent: ModelOptions | None
    ) -> ModelOptions:
        known = {f.name for f in fields(cls)}
        unknown = set(kwargs) - known
        if unknown:
            raise ModelDefinitionError(
                f"{class_name}: unknown model option(s) {sorted(unknown)}; valid: {sorted(known)}"
            )
        base: dict[str, Any] = {}
        if parent is not None:
            base = {name: getattr(parent, name) for name in _INHERITED}
        base["table"] = _snake(class_name)
        opts = replace(cls(**base), **kwargs) if kwargs else cls(**base)
        opts._check(class_name)
        return opts

    def _check(self, class_name: str) -> None:
        if self.history not in ("none", "copy_on_change", "scd2"):
            raise ModelDefinitionError(
                f"{class_name}: history must be 'none', 'copy_on_change' or 'scd2', "
                f"not {self.history!r}"
            )
        if self.primary_key not in ("uuid", "int"):
            raise ModelDefinitionError(
                f"{class_name}: primary_key must be 'uuid' or 'int', not {self.primary_key!r}"
            )
        if self.tenant_type not in (UUID, str, int):
            raise ModelDefinitionError(f"{class_name}: tenant_type must be UUID, str or int")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", self.table):
            raise ModelDefinitionError(f"{class_name}: invalid table name {self.table!r}")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
