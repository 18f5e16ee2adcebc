"""Relationships: resolving declarations to keys, and batched eager loading."""
