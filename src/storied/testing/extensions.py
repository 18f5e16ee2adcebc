"""Generators chosen by field name: ordered, composable rules (regex on the name → value).

An :class:`Extension` pairs a regular expression over the field name with a generator: a
template string (``"POL-####-????"``: ``#`` a digit, ``?`` a letter, as Faker's ``bothify``),
or a callable taking the factory's seeded :class:`faker.Faker`. :class:`Extensions` keeps them
in order; the first rule whose pattern matches a field's name wins, so rules added in front
override the ones behind::

    rules = Extensions().add(r"^policy_number$", "POL-####-????") + NAME_RULES
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from ..errors import ConfigurationError

Generator = str | Callable[[Faker], Any]


@dataclass(frozen=True, slots=True)
class Extension:
    """One rule: fields whose name matches ``pattern`` get values from ``generator``.

    Args:
        pattern: a regular expression searched in the field name (anchor it with ``^…$``).
        generator: a ``bothify`` template (``#`` digit, ``?`` letter) or ``fn(faker)``.
        kinds: the storied field kinds the rule applies to (``"str"``, ``"int"`` …); a template
            applies to ``str`` fields only unless told otherwise.
    """

    pattern: str
    generator: Generator
    kinds: frozenset[str] = field(default_factory=frozenset)
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "_regex", re.compile(self.pattern))
        except re.error as exc:
            raise ConfigurationError(f"extension pattern {self.pattern!r}: {exc}") from None
        if not (isinstance(self.generator, str) or callable(self.generator)):
            raise ConfigurationError(
                f"extension {self.pattern!r}: the generator must be a template string or a "
                "callable taking a Faker"
            )
        if not self.kinds and isinstance(self.generator, str):
            object.__setattr__(self, "kinds", frozenset({"str"}))

    def matches(self, name: str, kind: str) -> bool:
        return (not self.kinds or kind in self.kinds) and self._regex.search(name) is not None

    def generate(self, faker: Faker) -> Any:
        if isinstance(self.generator, str):
            return faker.bothify(self.generator)
        return self.generator(faker)


class Extensions:
    """An ordered, immutable list of :class:`Extension` rules; ``a + b`` tries ``a`` first."""

    __slots__ = ("_rules",)

    def __init__(self, rules: Iterable[Extension] = ()) -> None:
        self._rules: tuple[Extension, ...] = tuple(rules)

    def add(self, pattern: str, generator: Generator, *, kinds: Iterable[str] = ()) -> Extensions:
        """A copy with one more rule, tried after the existing ones."""
        return Extensions((*self._rules, Extension(pattern, generator, frozenset(kinds))))

    def __add__(self, other: Extensions) -> Extensions:
        if not isinstance(other, Extensions):
            return NotImplemented
        return Extensions((*self._rules, *other._rules))

    def __iter__(self) -> Iterator[Extension]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __repr__(self) -> str:
        return f"Extensions({[r.pattern for r in self._rules]!r})"

    def find(self, name: str, kind: str) -> Extension | None:
        """The first rule for a field of this name and kind, or None."""
        return next((r for r in self._rules if r.matches(name, kind)), None)
