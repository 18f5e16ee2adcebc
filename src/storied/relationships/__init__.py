"""Relationships: resolving declarations to keys (eager loading is in ``reads.loading``)."""
