"""How a file value becomes a ``FileRef``: the plan (sans-I/O) and the steps around one upload.

A write that carries file values runs :func:`resolve` over each row's values: a byte source
(bytes, a binary file, an iterator of chunks, or an :class:`Upload`) becomes a :class:`Put`,
a ``FileRef`` given explicitly becomes a :class:`Check` (its object must exist in this tenant's
files with the size and sha256 it claims). The sync and async ``Files`` drive the same plan.
Uploads all happen before the row is written, so a row never names bytes that are not there.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ..errors import TenantViolation, ValidationError
from ._body import AsyncSource, Prepared
from ._info import ObjectInfo, PutResult
from ._metadata import normalise_key
from ._verify import source_changed
from .fileref import FileRef, content_key, tenant_segment

DEFAULT_TYPE = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Upload:
    """A file value with its content type and metadata: ``attachment=Upload(f, "application/pdf")``.

    A bare byte source (bytes, a binary file, an iterator of chunks) is an ``Upload`` with the
    default content type and no metadata.
    """

    data: AsyncSource
    content_type: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Put:
    upload: Upload
    tenant: Any
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Check:
    ref: FileRef
    tenant: Any
    field: str | None = None


Plan: TypeAlias = Generator[Put | Check, FileRef, dict[str, Any]]


def resolve(fields: tuple[str, ...], tenant: Any, values: Mapping[str, Any]) -> Plan:
    """``values`` with each file field's value as a ``FileRef`` (None stays None)."""
    out = dict(values)
    for name in fields:
        value = out.get(name)
        if value is None:
            continue
        if isinstance(value, FileRef | Mapping):
            ref = value if isinstance(value, FileRef) else FileRef.model_validate(value)
            out[name] = yield Check(ref, tenant, name)
        else:
            upload = value if isinstance(value, Upload) else Upload(value)
            out[name] = yield Put(upload, tenant, name)
    return out


def has_files(fields: tuple[str, ...], values: Mapping[str, Any]) -> bool:
    return any(values.get(name) is not None for name in fields)


def key_for(prefix: str, tenant: Any, body: Prepared) -> str:
    return content_key(prefix, tenant, body.sha256)


def made_ref(upload: Upload, body: Prepared, result: PutResult) -> FileRef:
    """The ``FileRef`` of a finished upload. Every backend refuses, before placing them,
    bytes that changed since they were hashed (``_verify``); this checks what it reports."""
    if result.sha256 != body.sha256 or result.size != body.size:
        raise source_changed(result.key)
    return FileRef(
        key=result.key,
        size=body.size,
        sha256=body.sha256,
        content_type=upload.content_type or DEFAULT_TYPE,
        etag=result.etag,
        metadata={normalise_key(k): v for k, v in upload.metadata.items()},
    )


def check_owner(prefix: str, ref: FileRef, tenant: Any) -> None:
    """A ref must name this tenant's files under this prefix (never another tenant's bytes)."""
    if not ref.key.startswith(f"{prefix}{tenant_segment(tenant)}/"):
        raise TenantViolation(
            "a FileRef names an object outside this tenant's files; upload the bytes instead"
        )


def checked(ref: FileRef, info: ObjectInfo) -> FileRef:
    """``ref`` if the stored object holds what it claims, else ValidationError."""
    if info.size != ref.size or info.sha256 != ref.sha256:
        raise ValidationError(
            f"the FileRef for {ref.key!r} does not match the stored object (size or sha256)",
            [{"loc": ("key",), "msg": "size or sha256 differs from the stored object"}],
        )
    return ref
