"""The tenant-wide recent-changes feed: every audited model's change sets, newest first.

Each model's feed is read newest first (``changes(newest_first=True)``) up to the page's
cursor; the feeds are merged by (moment, model, record, change set). A model's read can stop
inside a group of change sets written at one moment (one transaction), so the merge keeps only
what is complete: moments after the latest moment any unfinished read stopped at. If that
leaves too little, the reads widen.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storied import ChangeSet, ValidationError
from storied.api import Principal

from .context import ModelPage, Ui

TICK = dt.timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Entry:
    """One change set in the feed, with the model it belongs to."""

    page: ModelPage
    change: ChangeSet

    @property
    def key(self) -> tuple[dt.datetime, str, str, str]:
        cs = self.change
        return (cs.at, self.page.slug, str(cs.record_id), str(cs.id))


@dataclass(frozen=True, slots=True)
class Filters:
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    actor: str | None = None
    operation: str | None = None


def encode(entry: Entry) -> str:
    at, *rest = entry.key
    raw = json.dumps([at.isoformat(), *rest]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text: str) -> tuple[dt.datetime, str, str, str]:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        at, slug, record, change = json.loads(raw)
        moment = dt.datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError(at)
        return (moment, str(slug), str(record), str(change))
    except (binascii.Error, ValueError, TypeError):
        raise ValidationError(
            "cursor is not one this page issued",
            [{"loc": ("query", "cursor"), "msg": "invalid cursor"}],
        ) from None


async def _read(
    ui: Ui, caller: Principal, page: ModelPage, filters: Filters, until: Any, want: int
) -> tuple[list[ChangeSet], dt.datetime | None]:
    """Up to about ``want`` newest change sets before ``until``, and the moment the read
    stopped at (None: it reached the start of the feed, so nothing older is left out)."""
    # copy_on_change counts audit rows (one per field), scd2 versions (one per change set)
    per_set = 1 if page.versioned else max(1, len(page.fields))
    budget = want * per_set
    sets: list[ChangeSet] = await ui.call(
        ui.repo(caller, page).changes,
        since=filters.since,
        until=until,
        actor=filters.actor,
        operation=filters.operation,
        limit=budget,
        newest_first=True,
    )
    read = sum(max(1, len(cs.changes)) for cs in sets) if per_set > 1 else len(sets)
    if read < budget or not sets:
        return sets, None
    return sets, sets[-1].at


async def recent(
    ui: Ui,
    caller: Principal,
    pages: Sequence[ModelPage],
    filters: Filters,
    size: int,
    cursor: str | None,
) -> tuple[list[Entry], str | None]:
    """One page of the feed, newest first, and the cursor of the next (older) page."""
    seen = decode(cursor) if cursor else None
    until = filters.until
    if seen is not None:
        until = seen[0] + TICK if until is None else min(until, seen[0] + TICK)
    want = size + 1
    while True:
        entries: list[Entry] = []
        floor: dt.datetime | None = None
        for page in pages:
            sets, stop = await _read(ui, caller, page, filters, until, want)
            entries += [Entry(page, cs) for cs in sets]
            if stop is not None and (floor is None or stop > floor):
                floor = stop
        kept = [
            e
            for e in entries
            if (floor is None or e.change.at > floor) and (seen is None or e.key < seen)
        ]
        kept.sort(key=lambda e: e.key, reverse=True)
        if len(kept) > size or floor is None:
            break
        want *= 2
    shown = kept[:size]
    return shown, (encode(shown[-1]) if len(kept) > size else None)
