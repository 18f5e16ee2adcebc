"""The registry a Database maps its models in, with the history partitioning asked for."""

from __future__ import annotations

from sqlalchemy.engine import URL

from ..dialects import backend_capabilities
from ..errors import ConfigurationError
from ..mapping.partitions import HistoryPartitions, partitions_option
from ..mapping.registry import Registry


def registry_for(
    url: URL, registry: Registry | None, partitions: str | HistoryPartitions | None
) -> Registry:
    """The Database's registry, partitioning history where asked (and the backend can)."""
    wanted = partitions_option(partitions)
    if registry is None:
        registry = Registry(history_partitions=wanted)
    elif wanted is not None and wanted != registry.history_partitions:
        raise ConfigurationError(
            "history_partitions differs from the given registry's: "
            "pass it as Registry(history_partitions=…)"
        )
    caps = backend_capabilities(url.get_backend_name())
    if registry.history_partitions is not None and not (caps and caps.partitioned_history):
        raise ConfigurationError(
            f"history_partitions needs PostgreSQL; {url.get_backend_name()} keeps each "
            "history table whole (leave history_partitions out there)"
        )
    return registry
