"""The floor for a list of models: the raw driver's rows, each validated into the model.

"raw + validation" runs the raw side's list statement (:mod:`bench.raw`, on its connection)
and validates each row, as ``dict(zip(columns, row))``, into the same Pydantic model storied
returns (``BenchItem.__pydantic_validator__.validate_python``: ``model_validate`` less its
wrapper). The values go in as the driver returns them, in Pydantic's lax mode: text UUIDs and
timestamps parse, SQLite's scaled-integer price validates as that integer (the floor measures
what validation costs, not whether the value is right; storied converts it first). Issue 16's
budget: storied's list <= 1.2x this.
"""

from __future__ import annotations

import asyncio
from typing import Any

from .raw import COLUMNS, RawSync
from .raw_async import RawAsync
from .workloads import AsyncSide, BenchItem, SyncSide

NAME = "validated"
LABEL = "raw + validation"


def _validate(rows: list[Any]) -> list[BenchItem]:
    validate, names = BenchItem.__pydantic_validator__.validate_python, COLUMNS
    return [validate(dict(zip(names, row, strict=True))) for row in rows]


class ValidatedSync(SyncSide):
    label = LABEL

    def __init__(self, raw: RawSync) -> None:
        super().__init__()
        self.raw = raw
        self.batches = {"list": self.list_rows}

    def list_rows(self, n: int) -> None:
        fetch = self.raw.fetch_list
        for _ in range(n):
            _validate(fetch())


class ValidatedAsync(AsyncSide):
    label = LABEL

    def __init__(self, loop: asyncio.AbstractEventLoop, raw: RawAsync) -> None:
        super().__init__(loop)
        self.raw = raw
        self.batches = {"list": self.list_rows}

    async def list_rows(self, n: int) -> None:
        fetch = self.raw.fetch_list
        for _ in range(n):
            _validate(await fetch())

    async def aclose(self) -> None:
        pass  # the raw side closes the connection
