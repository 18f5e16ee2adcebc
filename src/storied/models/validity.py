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

from typing import TYPE_CHECKING, Any, TypeVar

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


def unchecked_defaults(model: type[Model], has_json: bool) -> frozenset[str] | None:
    """The fields a marked instance of ``model`` must have set to be taken as it is (their
    defaults were not validated), or None when no instance of it ever is."""
    config = model.model_config
    if (
        has_json
        or model.__private_attributes__
        or model.model_post_init is not BaseModel.model_post_init
        or config.get("extra") == "allow"
    ):
        return None
    validate_default = bool(config.get("validate_default"))
    out = set()
    for name, info in model.model_fields.items():
        if info.is_required():
            continue  # a validated instance has it set
        checked = validate_default if info.validate_default is None else info.validate_default
        if not checked and (info.default_factory is not None or info.default is not None):
            out.add(name)
    return frozenset(out)


def valid_copy(instance: ModelT, must_set: frozenset[str]) -> ModelT | None:
    """storied's own copy of a marked instance that has the ``must_set`` fields set, as
    validating its values again would build it; None when it must be validated again.

    The copy's set fields are those validation would set: each value that is not None, and
    each None the caller set (an unset None stays a default, so a server default fills it).
    """
    if not is_marked(instance):
        return None
    explicit = instance.model_fields_set
    if not must_set <= explicit:
        return None
    fields_set = {k for k, v in instance.__dict__.items() if v is not None or k in explicit}
    copied: ModelT = shallow_copy(instance, fields_set)
    return copied
