"""Models for the query builder and relationship tests (mapped per Database, like tests.models).

Relationships name their targets by class or, for forward references, by class name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from storied import Field, Model, Relationship


class Item(Model, table="q_items"):
    """One field of each type the projections and aggregates must return in its own type."""

    name: str = Field(max_length=100)
    category: str = Field(max_length=20)
    price: Decimal = Field(max_digits=12, decimal_places=2)
    qty: int = 0
    weight: float = 0.0
    made: dt.date = dt.date(2026, 1, 1)
    seen_at: dt.datetime | None = None
    rank: int | None = None
    note: str | None = Field(default=None, max_length=100)


class Author(Model, table="r_authors"):
    name: str = Field(max_length=100)

    posts = Relationship("Post")  # forward reference, one-to-many
    profile = Relationship("Profile", one=True)  # one-to-one, seen from the side without the FK


class Profile(Model, table="r_profiles"):
    author_id: UUID = Field(foreign_key=Author, unique=True)
    bio: str = Field(max_length=200)

    author = Relationship(Author)


class Tag(Model, table="r_tags"):
    label: str = Field(max_length=50)

    posts = Relationship("Post", through="PostTag")


class Post(Model, table="r_posts"):
    author_id: UUID = Field(foreign_key=Author)
    title: str = Field(max_length=200)
    score: int = 0

    author = Relationship(Author)  # many-to-one
    comments = Relationship("Comment")
    tags = Relationship(Tag, through="PostTag")  # many-to-many over a link model


class PostTag(Model, table="r_post_tags"):
    post_id: UUID = Field(foreign_key="r_posts.id")
    tag_id: UUID = Field(foreign_key=Tag)


class Comment(Model, table="r_comments"):
    post_id: UUID = Field(foreign_key=Post)
    body: str = Field(max_length=200)

    post = Relationship(Post)


class Message(Model, table="r_messages"):
    """Two foreign keys to one target: each relationship must say ``via`` which it follows."""

    sender_id: UUID = Field(foreign_key=Author)
    recipient_id: UUID = Field(foreign_key=Author)
    text: str = Field(max_length=100)

    sender = Relationship(Author, via="sender_id")
    recipient = Relationship(Author, via="recipient_id")
    either = Relationship(Author)  # ambiguous: refused when used


class Employee(Model, table="r_employees"):
    """A self-referential relation."""

    name: str = Field(max_length=100)
    manager_id: UUID | None = Field(default=None, foreign_key="r_employees.id")

    manager = Relationship("Employee", via="manager_id")
    reports = Relationship("Employee", via="manager_id", many=True)


class Writer(Model, table="r_writers", history="scd2"):
    name: str = Field(max_length=100)

    books = Relationship("Book")


class Book(Model, table="r_books", history="scd2"):
    writer_id: UUID = Field(foreign_key=Writer)
    title: str = Field(max_length=200)

    writer = Relationship(Writer)


BLOG = (Author, Profile, Tag, Post, PostTag, Comment)


class Category(Model, table="r_categories"):
    """A tree: each category points at its parent (the recursive CTE tests walk it). No
    foreign key, so a test can hook another tenant's row under this tenant's tree."""

    name: str = Field(max_length=200)
    parent_id: UUID | None = None


class Place(Model, table="r_places"):
    """A graph's nodes; :class:`Road` is its edges (which may form cycles)."""

    name: str = Field(max_length=50)


class Road(Model, table="r_roads"):
    """No foreign keys, so a test can lay another tenant's road between this tenant's places."""

    source_id: UUID
    target_id: UUID
    label: str = Field(max_length=20)


class Folder(Model, table="r_folders", history="scd2"):
    """A versioned tree: moving a folder is a new version (walked as of a moment)."""

    name: str = Field(max_length=200)
    parent_id: UUID | None = None
