"""Relations are resolved once per registry; a failed resolution is not remembered."""

from __future__ import annotations

import pytest

from storied import Registry, UnknownFieldError
from storied.relationships.resolve import resolve
from tests.relmodels import BLOG, Author, Post, Tag


def test_a_relation_is_resolved_once_per_registry() -> None:
    registry = Registry()
    registry.add(*BLOG)
    author = resolve(registry, Post, "author")
    assert (author.kind, author.target, author.local, author.remote) == (
        "many_to_one",
        Author,
        "author_id",
        "id",
    )
    assert resolve(registry, Post, "author") is author
    assert resolve(registry, Post, "tags").through()[1:] == ("post_id", "tag_id")
    assert resolve(registry, Post, "tags").target is Tag


def test_registries_resolve_on_their_own() -> None:
    first, second = Registry(), Registry()
    first.add(*BLOG)
    second.add(*BLOG)
    assert resolve(first, Post, "author") is not resolve(second, Post, "author")
    assert resolve(first, Post, "author") == resolve(second, Post, "author")


def test_an_unknown_relation_fails_every_time() -> None:
    registry = Registry()
    registry.add(*BLOG)
    for _ in range(2):
        with pytest.raises(UnknownFieldError):
            resolve(registry, Post, "editor")
