"""The registry a Database maps its models in, with the history partitioning asked for."""

from __future__ import annotations

from sqlalchemy.engine import URL

from ..dialects import backend_capabilities
from ..errors import ConfigurationError
from ..mapping.partitions import HistoryPartitions, partitions_option
from ..mapping.registry import Registry


def registry_for(
    url: URL,
    registry: Registry | None,
    partitions: str | HistoryPartitions | None,
    tenant_leading_keys: bool | None = None,
) -> Registry:
    """The Database's registry, partitioning history and leading keys with the tenant where
    asked (and the backend can)."""
    wanted = partitions_option(partitions)
    if registry is None:
        registry = Registry(
            history_partitions=wanted, tenant_leading_keys=bool(tenant_leading_keys)
        )
    elif wanted is not None and wanted != registry.history_partitions:
        raise ConfigurationError(
            "history_partitions differs from the given registry's: "
            "pass it as Registry(history_partitions=…)"
        )
    elif tenant_leading_keys is not None and tenant_leading_keys != registry.tenant_leading_keys:
        raise ConfigurationError(
            "tenant_leading_keys differs from the given registry's: "
            "pass it as Registry(tenant_leading_keys=…)"
        )
    caps = backend_capabilities(url.get_backend_name())
    if registry.tenant_leading_keys and not (caps and caps.composite_autoincrement):
        raise ConfigurationError(
            f"tenant_leading_keys needs PostgreSQL: {url.get_backend_name()} cannot generate "
            "the audit, version or integer ids inside a (tenant_id, …) primary key "
            "(leave tenant_leading_keys out there)"
        )
    if registry.history_partitions is not None and not (caps and caps.partitioned_history):
        raise ConfigurationError(
            f"history_partitions needs PostgreSQL; {url.get_backend_name()} keeps each "
            "history table whole (leave history_partitions out there)"
        )
    return registry
