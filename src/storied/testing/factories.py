"""``factory(Model)``: valid, realistic, reproducible objects of a storied model.

polyfactory makes each value from the model's types and constraints; Faker makes them
realistic. storied adds the name rules and extensions (:mod:`.names`, :mod:`.extensions`),
keeps bookkeeping fields unset, keeps unique fields unique across everything one factory
builds, and links many-to-one parents when rows are created (:mod:`.parents`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from random import Random, SystemRandom
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from faker import Faker
from pydantic import ValidationError as PydanticValidationError

from ..errors import ConfigurationError, ValidationError
from .children import acreate_children, create_children, plan_children
from .extensions import Extension, Extensions
from .names import NAME_RULES
from .parents import ParentLinks, ParentPolicy
from .values import decimal_within, polyfactory_for

if TYPE_CHECKING:
    from ..models.base import Model
    from ..models.spec import FieldSpec
    from ..repository.asyncio import AsyncRepository
    from ..repository.sync import Repository

M = TypeVar("M", bound="Model")

#: tries at a fresh value before a unique str field gets a numbered suffix
_UNIQUE_TRIES = 20

#: digits and places of generated values for a Decimal field that declares no precision:
#: what the narrowest backend's widest exact type holds (SQLite's scaled 64-bit integers)
PORTABLE_DECIMAL = (18, 6)


class Factory(Generic[M]):
    """Builds objects of one model; make it with :func:`factory`.

    Args:
        model: a storied model class (not abstract).
        seed: the same seed gives the same objects, in the same order, on any machine. Without
            one a random seed is drawn; it is kept in :attr:`seed` to replay a failure.
        extensions: rules tried before storied's own name rules (:data:`NAME_RULES`).
        names: ``False`` turns storied's name rules off (extensions still apply).
        allow_none: ``False`` fills optional fields instead of leaving some of them None.
        locale: Faker's locale for realistic values.
    """

    def __init__(
        self,
        model: type[M],
        *,
        seed: int | None = None,
        extensions: Extensions | Iterable[Extension] = (),
        names: bool = True,
        allow_none: bool = True,
        locale: str = "en_US",
    ) -> None:
        self.model = model
        self.spec = model.storied_spec()
        self.seed = seed if seed is not None else SystemRandom().randrange(2**32)
        self.faker = Faker(locale)
        self.faker.seed_instance(self.seed)
        self.random = Random(self.seed)
        own = extensions if isinstance(extensions, Extensions) else Extensions(extensions)
        self._own, self._names = own, (NAME_RULES if names else Extensions())
        self._options = {"extensions": own, "names": names, "allow_none": allow_none}
        self._pf = polyfactory_for(model, self.faker, self.random, self._generators(), allow_none)
        self._metas = {m.name: m for m in self._pf.get_model_fields()}
        self._seen: dict[str, set[Any]] = {
            n: set() for n, f in self.spec.fields.items() if f.column_info.unique
        }
        self.parents = ParentLinks(self)

    def __repr__(self) -> str:
        return f"<Factory {self.model.__name__} seed={self.seed}>"

    def build(self, **overrides: Any) -> M:
        """One valid object; ``overrides`` set fields (or a many-to-one relation, by its
        name, to a parent object). Bookkeeping fields stay None unless given."""
        overrides = self.parents.expand(overrides)
        values = self._pf.process_kwargs(**overrides)
        for name in self.parents.fk_fields:
            if name not in overrides:
                # an unlinked foreign key: None where allowed; create() links real parents
                values[name] = None if self.spec.fields[name].nullable else values.get(name)
        for name, seen in self._seen.items():
            if name not in self.parents.fk_fields or name in overrides:
                values[name] = self._unique(name, values.get(name), seen, name in overrides)
        try:
            return self.model.model_validate(values)
        except PydanticValidationError as exc:
            errors = [{"loc": tuple(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
            where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
            raise ValidationError(
                f"factory({self.model.__name__}) made an invalid object ({where}); fix the "
                "override or the extension that produced it",
                errors,
            ) from None

    def batch(self, n: int, **overrides: Any) -> list[M]:
        """``n`` objects (unique fields unique across them)."""
        if not isinstance(n, int) or n < 0:
            raise ConfigurationError(f"batch size must be a non-negative int, not {n!r}")
        return [self.build(**overrides) for _ in range(n)]

    def create(
        self, repo: Repository[M], *, parents: ParentPolicy = "share", **overrides: Any
    ) -> M:
        """Build one object and create it through ``repo`` (history and hooks as usual)."""
        return self.create_batch(repo, 1, parents=parents, **overrides)[0]

    def create_batch(
        self,
        repo: Repository[M],
        n: int,
        *,
        parents: ParentPolicy = "share",
        children: Mapping[str, int] | None = None,
        **overrides: Any,
    ) -> list[M]:
        """Build ``n`` objects and create them with one ``repo.create_many``.

        Required many-to-one parents are created first in the repository's tenant:
        ``parents="share"`` (one parent for the batch), ``"each"`` (one per row), or a
        mapping of foreign-key field to parent objects to reuse (cycled over the rows).
        ``children={"posts": 2}`` then creates that many rows of each named one-to-many
        relation per created row.
        """
        if children:
            plan_children(self, repo, children)  # refuse a bad name before writing
        objects = self.batch(n, **overrides)
        links = self.parents.plan(repo, n, parents, overrides)
        ids = {field: need.create(repo) for field, need in links.items()}
        created = repo.create_many(self.parents.apply(objects, ids))
        create_children(self, repo, created, children)
        return created

    async def acreate(
        self, repo: AsyncRepository[M], *, parents: ParentPolicy = "share", **overrides: Any
    ) -> M:
        """:meth:`create` through an async repository."""
        return (await self.acreate_batch(repo, 1, parents=parents, **overrides))[0]

    async def acreate_batch(
        self,
        repo: AsyncRepository[M],
        n: int,
        *,
        parents: ParentPolicy = "share",
        children: Mapping[str, int] | None = None,
        **overrides: Any,
    ) -> list[M]:
        """:meth:`create_batch` through an async repository."""
        if children:
            plan_children(self, repo, children)
        objects = self.batch(n, **overrides)
        links = self.parents.plan(repo, n, parents, overrides)
        ids = {field: await need.acreate(repo) for field, need in links.items()}
        created = await repo.create_many(self.parents.apply(objects, ids))
        await acreate_children(self, repo, created, children)
        return created

    def derived(self, model: type[Model]) -> Factory[Any]:
        """A factory for another model (a parent), seeded from this one, same options."""
        return Factory(model, seed=self.random.randrange(2**32), **self._options)  # type: ignore[arg-type]

    def _generators(self) -> dict[str, Callable[[], Any]]:
        out: dict[str, Callable[[], Any]] = {}
        for name, f in self.spec.fields.items():
            if f.column_info.foreign_key is not None:
                continue
            make = self._generator(name, f)
            if make is not None:
                out[name] = make
        return out

    def _generator(self, name: str, f: FieldSpec) -> Callable[[], Any] | None:
        lengths = _lengths(f)
        rule = self._own.find(name, f.kind)
        if rule is None and not _constrained(f):
            rule = self._names.find(name, f.kind)
        if rule is not None:
            found = rule
            if f.kind == "str":
                return lambda: self._fit(str(found.generate(self.faker)), *lengths)
            return lambda: found.generate(self.faker)
        if f.kind == "str" and _pattern(f) is None:
            low, high = max(1, lengths[0]), min(lengths[1] or 20, 20)
            return lambda: self.faker.pystr(min_chars=low, max_chars=max(low, high))
        if f.kind == "decimal" and (f.max_digits is None or f.decimal_places is None):
            digits = f.max_digits or PORTABLE_DECIMAL[0]
            places = f.decimal_places if f.decimal_places is not None else PORTABLE_DECIMAL[1]
            return lambda: decimal_within(self.random, digits, min(places, digits), f.bounds)
        return None

    def _fit(self, value: str, min_length: int, max_length: int | None) -> str:
        """``value`` cut to max_length and padded to min_length (at least one character)."""
        if max_length is not None and len(value) > max_length:
            value = value[:max_length].rstrip() or value[:max_length]
        short = max(1, min_length) - len(value)
        if short > 0:
            value += self.faker.pystr(min_chars=short, max_chars=short)
        return value

    def _unique(self, name: str, value: Any, seen: set[Any], given: bool) -> Any:
        if value is None or given:
            if value is not None:
                seen.add(value)
            return value
        meta = self._metas[name]
        for _ in range(_UNIQUE_TRIES):
            if value not in seen:
                break
            value = self._pf.get_field_value(meta)
        else:
            f = self.spec.fields[name]
            if f.kind != "str":
                raise ConfigurationError(
                    f"factory({self.model.__name__}): no unique {name} left after "
                    f"{_UNIQUE_TRIES} tries; give it an extension with more values"
                )
            suffix = f"-{len(seen)}"
            limit = f.max_length
            if limit is not None and len(suffix) >= limit:
                raise ConfigurationError(
                    f"factory({self.model.__name__}): {name} (max_length={limit}) has no "
                    f"unique value left after {_UNIQUE_TRIES} tries"
                )
            keep = None if limit is None else limit - len(suffix)
            value = str(value)[:keep] + suffix
        seen.add(value)
        return value


def factory(model: type[M], **options: Any) -> Factory[M]:
    """A :class:`Factory` for ``model``: ``factory(Product, seed=42).batch(10)``."""
    return Factory(model, **options)


def _lengths(f: FieldSpec) -> tuple[int, int | None]:
    low = next((m.min_length for m in f.info.metadata if getattr(m, "min_length", None)), 0)
    return int(low), f.max_length


def _pattern(f: FieldSpec) -> str | None:
    return next((m.pattern for m in f.info.metadata if getattr(m, "pattern", None)), None)


def _constrained(f: FieldSpec) -> bool:
    """Fields whose own constraints a name rule could break (a pattern, numeric bounds)."""
    return _pattern(f) is not None or (f.kind != "str" and bool(f.bounds))


__all__: Sequence[str] = ["Factory", "factory"]
