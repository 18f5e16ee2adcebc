"""Column types as schema sync sees them: the type a dialect really uses, how it reads in a
plan, and whether a type change keeps every stored value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator, TypeEngine


def type_text(type_: TypeEngine[Any] | None, dialect: sa.Dialect) -> str:
    if type_ is None:
        return "?"
    try:
        return str(effective(type_, dialect).compile(dialect=dialect))
    except Exception:  # a type this dialect cannot render: name it instead
        return type(type_).__name__


def effective(type_: TypeEngine[Any], dialect: sa.Dialect) -> TypeEngine[Any]:
    """The type the dialect really uses (variants resolved, decorators unwrapped)."""
    impl = type_.dialect_impl(dialect)  # resolves ``with_variant`` types for this dialect
    while isinstance(impl, TypeDecorator):
        impl = impl.load_dialect_impl(dialect)
    return impl


_INTS: Sequence[type] = (sa.SmallInteger, sa.Integer, sa.BigInteger)


def widens(old: TypeEngine[Any] | None, new: TypeEngine[Any], dialect: sa.Dialect) -> bool:
    """True when every value of ``old`` fits ``new`` unchanged."""
    if old is None:
        return False
    a, b = effective(old, dialect), effective(new, dialect)
    if isinstance(a, sa.String) and isinstance(b, sa.String):
        if b.length is None:
            return True
        return a.length is not None and b.length >= a.length
    if isinstance(a, sa.Integer) and isinstance(b, sa.Integer):
        return _int_rank(b) >= _int_rank(a)
    if isinstance(a, sa.Float) != isinstance(b, sa.Float):
        return False
    if isinstance(a, sa.Float) and isinstance(b, sa.Float):
        return isinstance(b, sa.Double) or not isinstance(a, sa.Double)
    if isinstance(a, sa.Numeric) and isinstance(b, sa.Numeric):
        if a.precision is None or a.scale is None or b.precision is None or b.scale is None:
            return b.precision is None
        return b.scale >= a.scale and b.precision - b.scale >= a.precision - a.scale
    return False


def _int_rank(t: sa.Integer) -> int:
    if isinstance(t, sa.BigInteger):
        return 2
    return 0 if isinstance(t, sa.SmallInteger) else 1
