"""Tenant scopes: every read and write of a tenant-scoped model carries one."""

from .scope import UNSCOPED, Scope, make_scope, scope_for

__all__ = ["UNSCOPED", "Scope", "make_scope", "scope_for"]
