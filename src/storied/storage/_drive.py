"""Sans-I/O operations and their two drivers, so each backend writes every operation once.

A backend operation is a generator. It yields a :class:`Call` when it needs I/O (the sync
driver calls ``fn``; the async driver awaits ``afn``, or runs ``fn`` in a worker thread when the
I/O has no async form, like file writes; ``blocking=False`` calls it inline), :data:`PULL`
when it wants the next chunk of the body being written (the drivers read it from a sync or
async iterator), and :class:`Emit` for each item a streaming operation produces. Errors from
a call are translated once, here, by the backend's ``translate`` and thrown back into the
operation, which may handle them (a delete of a missing key) or let them out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

T = TypeVar("T")
Translate: TypeAlias = Callable[[BaseException, "Call"], BaseException]
_PASS = (KeyboardInterrupt, SystemExit, GeneratorExit, asyncio.CancelledError)


@dataclass(frozen=True, slots=True)
class Call:
    """One I/O step; ``action`` and ``key`` name it in error messages."""

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    afn: Callable[..., Awaitable[Any]] | None = None
    action: str = ""
    key: str | None = None
    blocking: bool = True  # without ``afn``: run in a worker thread (False: call inline)
    cancel: Callable[[], None] | None = None  # tells a worker step that its task is cancelled


@dataclass(frozen=True, slots=True)
class Emit:
    value: Any


class _Pull:
    __slots__ = ()


PULL = _Pull()
Step: TypeAlias = Call | Emit | _Pull
Op: TypeAlias = Generator[Step, Any, T]


class _Driver:
    """The state both drivers share: what to send or throw into the operation next."""

    def __init__(self, op: Op[Any], translate: Translate) -> None:
        self.op = op
        self.translate = translate
        self.value: Any = None
        self.error: BaseException | None = None

    def next_step(self) -> Step:
        value, error = self.value, self.error
        self.value = self.error = None
        return self.op.throw(error) if error is not None else self.op.send(value)

    def failed(self, exc: BaseException, call: Call | None) -> None:
        if isinstance(exc, _PASS):
            raise exc
        self.error = self.translate(exc, call) if call is not None else exc


def _sync_steps(op: Op[T], translate: Translate, chunks: Iterator[Any] | None) -> Op[T]:
    driver = _Driver(op, translate)
    try:
        while True:
            try:
                step = driver.next_step()
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            if isinstance(step, Emit):
                yield step
                continue
            try:
                if isinstance(step, Call):
                    driver.value = step.fn(*step.args, **step.kwargs)
                else:
                    driver.value = next(chunks, None) if chunks is not None else None
            except BaseException as exc:
                driver.failed(exc, step if isinstance(step, Call) else None)
    finally:
        op.close()


def run(op: Op[T], translate: Translate, chunks: Iterator[Any] | None = None) -> T:
    """Drive an operation with blocking calls and return its result."""
    steps = _sync_steps(op, translate, chunks)
    try:
        while True:
            next(steps)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


def stream(op: Op[Any], translate: Translate) -> Iterator[Any]:
    """Drive a streaming operation, yielding what it emits."""
    for step in _sync_steps(op, translate, None):
        yield step.value  # type: ignore[union-attr]


async def in_thread(
    fn: Callable[..., T], *args: Any, cancel: Callable[[], None] | None = None, **kwargs: Any
) -> T:
    """``fn`` in a worker thread; a cancelled caller waits for the thread to finish first.

    A thread cannot be stopped, so on cancellation ``cancel`` (if given) asks the step to stop
    where it can (a local write checks before each chunk and before the rename), and the step
    runs to its end before the operation sees ``CancelledError`` and cleans up: no worker is
    left writing to a temporary file the clean-up removed.
    """
    work = asyncio.ensure_future(asyncio.to_thread(fn, *args, **kwargs))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        if cancel is not None:
            cancel()
        await settled(work)
        raise


async def settled(work: asyncio.Future[Any]) -> None:
    """Wait until ``work`` is done, whatever it ends with, even if cancelled again meanwhile."""
    while not work.done():
        try:
            await asyncio.wait([work])
        except asyncio.CancelledError:
            continue
    if not work.cancelled():
        work.exception()  # retrieved: the caller's cancellation is what propagates


async def _astep(driver: _Driver, step: Call | _Pull, chunks: AsyncIterator[Any] | None) -> None:
    try:
        if isinstance(step, Call):
            if step.afn is not None:
                driver.value = await step.afn(*step.args, **step.kwargs)
            elif step.blocking:
                driver.value = await in_thread(
                    step.fn, *step.args, cancel=step.cancel, **step.kwargs
                )
            else:
                driver.value = step.fn(*step.args, **step.kwargs)
        else:
            driver.value = await anext(chunks, None) if chunks is not None else None
    except BaseException as exc:
        driver.failed(exc, step if isinstance(step, Call) else None)


async def arun(op: Op[T], translate: Translate, chunks: AsyncIterator[Any] | None = None) -> T:
    """Drive an operation with awaited calls and return its result."""
    driver = _Driver(op, translate)
    try:
        while True:
            try:
                step = driver.next_step()
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            if isinstance(step, Emit):
                raise TypeError("arun() drives operations that do not emit")
            await _astep(driver, step, chunks)
    finally:
        op.close()


async def astream(op: Op[Any], translate: Translate) -> AsyncIterator[Any]:
    """Drive a streaming operation with awaited calls, yielding what it emits."""
    driver = _Driver(op, translate)
    try:
        while True:
            try:
                step = driver.next_step()
            except StopIteration:
                return
            if isinstance(step, Emit):
                yield step.value
            else:
                await _astep(driver, step, None)
    finally:
        op.close()
