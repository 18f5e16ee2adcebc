"""Models with file fields, one per history strategy (tables apart from other tests')."""

from __future__ import annotations

from uuid import UUID

from storied import Field, Model, Relationship
from storied.storage import FileRef


class Attachment(Model, table="file_attachments", history="none"):
    title: str
    file: FileRef | None = None


class Audited(Model, table="file_audited", history="copy_on_change"):
    title: str
    file: FileRef | None = None


class Versioned(Model, table="file_versioned", history="scd2", primary_key="uuid"):
    title: str
    file: FileRef | None = None


class Shared(Model, table="file_shared", tenant=False):
    title: str
    file: FileRef


HISTORIED = [Audited, Versioned]
ALL = [Attachment, Audited, Versioned, Shared]


class Dossier(Model, table="file_dossiers", history="copy_on_change"):
    """Two file fields on two named stores, and one on the default store."""

    title: str
    contract: FileRef | None = Field(default=None, store="docs")
    photo: FileRef | None = Field(default=None, store="media")
    note: FileRef | None = None


class Drawing(Model, table="file_drawings", history="scd2", primary_key="uuid"):
    title: str
    sheet: FileRef | None = Field(default=None, store="media")


class Folder(Model, table="file_folders", history="copy_on_change"):
    """A cover on the default store; its papers (one-to-many) keep scans on "media"."""

    title: str
    cover: FileRef | None = None
    papers = Relationship("Paper")


class Paper(Model, table="file_papers", history="scd2"):
    title: str
    folder_id: UUID = Field(foreign_key=Folder)
    scan: FileRef | None = Field(default=None, store="media")
    folder = Relationship(Folder)
