"""The mark of a model instance Pydantic validated, and when a write may take it as it is.

``Model.__init__``, ``model_validate``, ``model_validate_json`` and ``model_validate_strings``
mark the new instance they built. The mark lives in a slot of storied's ``Model``, outside the
state Pydantic copies, so ``model_copy`` (with or without ``update=``), ``copy.copy``,
``copy.deepcopy``, pickling and ``model_construct`` give an unmarked instance. An assignment
Pydantic does not validate (``validate_assignment`` off, or a name that is not a field) and
``del`` clear it. What bypasses every Python hook (``instance.__dict__[name] = value``,
``object.__setattr__``) is not seen: that is Pydantic's private state, not its API.

A write takes a marked instance as it is (see :func:`valid_copy`) only when validating it again
could not change or refuse anything: its class is exactly the repository's (a subclass may
add rules), it has no JSON field (a dict, list or nested model can change in place after
validation), no private attributes, ``model_post_init`` or extra values (validation makes them
anew), and every field left unset has a default that was validated or is None (with
``validate_default`` off, Pydantic takes other defaults unchecked; a new validation would
check them). Everything else is validated again, as before the mark existed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from pydantic import BaseModel

from .._compat import shallow_copy

if TYPE_CHECKING:
    from .base import Model

ModelT = TypeVar("ModelT", bound="Model")

#: the slot of ``Model`` that holds the mark (unset: not marked)
SLOT = "__storied_valid__"


def mark(instance: Any) -> None:
    object.__setattr__(instance, SLOT, True)


def clear(instance: Any) -> None:
    object.__setattr__(instance, SLOT, False)


def is_marked(instance: Any) -> bool:
    return getattr(instance, SLOT, False) is True


class Trust(NamedTuple):
    """What a write checks on a marked instance of one model class before taking it as it is."""

    #: fields whose default was not validated: they must have been set
    must_set: frozenset[str]
    #: fields left unset whose (validated) default may be None or not: set when it is not
    maybe_set: tuple[str, ...]


def trust(model: type[Model], has_json: bool) -> Trust | None:
    """The checks a marked instance of ``model`` needs to be taken as it is, or None when no
    instance of it ever is."""
    config = model.model_config
    if (
        has_json
        or model.__private_attributes__
        or model.model_post_init is not BaseModel.model_post_init
        or config.get("extra") == "allow"
    ):
        return None
    validate_default = bool(config.get("validate_default"))
    must_set: list[str] = []
    maybe_set: list[str] = []
    for name, info in model.model_fields.items():
        if info.is_required() or (info.default is None and info.default_factory is None):
            continue  # set when valid, or None (then left out of the set fields, as validated)
        checked = validate_default if info.validate_default is None else info.validate_default
        (maybe_set if checked else must_set).append(name)
    return Trust(frozenset(must_set), tuple(maybe_set))


def valid_copy(instance: ModelT, trust: Trust) -> ModelT | None:
    """storied's own copy of a marked instance that has the fields ``trust`` names set, as
    validating its values again would build it; None when it must be validated again.

    The copy's set fields are those validation would set: the caller's (each value that
    is not None, and each None the caller set), and the defaults that are not None (an unset
    None stays a default, so a server default fills it). The fields left unset hold their
    defaults: None, or one of ``trust.maybe_set`` (its default was validated).
    """
    if not is_marked(instance):
        return None
    explicit = instance.model_fields_set
    if not trust.must_set <= explicit:
        return None
    fields_set = set(explicit)
    if trust.maybe_set:
        values = instance.__dict__
        fields_set.update(n for n in trust.maybe_set if values[n] is not None)
    copied: ModelT = shallow_copy(instance, fields_set)
    return copied
