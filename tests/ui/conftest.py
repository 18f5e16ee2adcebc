"""The history browser's fixtures: the test app in-process (httpx over ASGI, AsyncDatabase) on
every backend, or served by uvicorn on a loopback port (sync Database) for the browser; a
seeding Database on the same tables with a frozen clock; and Debian's Chromium via Playwright.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from storied import AsyncDatabase, Database, FrozenClock, Model
from storied.api import Principal
from tests.api.app import Callers
from tests.api.conftest import async_of, in_process, scratch_url, served
from tests.conftest import _Servers
from tests.ui.app import MODELS, Page, Tool, make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@dataclass
class Site:
    """The served app, a seeding database on the same tables, and the callers' tokens."""

    base: str
    send: Any
    callers: Callers
    seed_db: Database
    backend: str

    def get(self, path: str, token: str | None, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.send("GET", path, headers=headers, **kw)  # type: ignore[no-any-return]

    def post(self, path: str, token: str, data: dict[str, str]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        return self.send("POST", path, headers=headers, data=data)  # type: ignore[no-any-return]

    def tenant(self, actor: str, tenant: UUID | None = None, **extra: Any) -> tuple[str, UUID]:
        """A caller (editor unless roles= says otherwise) in a tenant; its token and tenant."""
        tenant = tenant or uuid4()
        extra.setdefault("roles", frozenset({"editor"}))
        return self.callers.add(
            f"{actor}-{uuid4().hex[:8]}", Principal(actor, tenant, **extra)
        ), tenant

    def repo(self, model: type[Model], tenant: UUID, actor: str = "seed") -> Any:
        return self.seed_db.repository(model, tenant_id=tenant, actor=actor)

    def story(self, tenant: UUID) -> tuple[Any, Any]:
        """A tool with three change sets (then deleted) and a page with three versions, each
        write an hour after the last, from T0 (the seeding clock)."""
        clock = self.seed_db.clock
        assert isinstance(clock, FrozenClock)
        clock.set(T0)
        tools, pages = self.repo(Tool, tenant, "ann"), self.repo(Page, tenant, "ann")
        tool = tools.create(
            Tool(
                sku=f"T-{uuid4().hex[:6]}",
                name="claw hammer",
                price=Decimal("9.99"),
                specs={"weight": 1, "grip": "rubber"},
            )
        )
        page = pages.create(Page(title="Draft notes", body="first words", score=1.0))
        clock.advance(hours=1)
        bob_tools, bob_pages = self.repo(Tool, tenant, "bob"), self.repo(Page, tenant, "bob")
        bob_tools.update(tool.id, name="framing hammer", price=Decimal("12.50"))
        bob_pages.update(page.id, title="Final notes", body="first and second words")
        clock.advance(hours=1)
        tools.update(tool.id, specs={"weight": 2, "grip": "rubber"})
        pages.update(page.id, score=2.5, published=dt.date(2026, 3, 1))
        clock.advance(hours=1)
        tools.delete(tool.id)
        return tools.get(tool.id, include_deleted=True), pages.get(page.id)


def _tables(url: str) -> Database:
    seed = Database(url, clock=FrozenClock(T0)).connect()
    seed.drop_all(MODELS)
    seed.create_all(MODELS)
    return seed


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite),
        pytest.param("postgresql", marks=pytest.mark.postgresql),
        pytest.param("mysql", marks=pytest.mark.mysql),
    ],
)
def pages(
    request: pytest.FixtureRequest, servers: _Servers, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The app in-process over httpx's ASGI transport, with an AsyncDatabase."""
    backend = request.param
    url = scratch_url(backend, servers, tmp_path_factory.mktemp("ui"))
    seed = _tables(url)
    callers = Callers()
    app = make_app(AsyncDatabase(async_of(url, backend)), callers)
    try:
        with in_process(app) as (loop, client):

            def send(method: str, path: str, **kw: Any) -> httpx.Response:
                return loop.run(client.request(method, path, **kw))  # type: ignore[no-any-return]

            yield Site("http://api", send, callers, seed, backend)
    finally:
        seed.drop_all(MODELS)
        seed.close()


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite),
        pytest.param("postgresql", marks=pytest.mark.postgresql),
    ],
)
def site(
    request: pytest.FixtureRequest, servers: _Servers, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The app served by uvicorn on a free loopback port, with a sync Database."""
    backend = request.param
    url = scratch_url(backend, servers, tmp_path_factory.mktemp("ui"))
    seed = _tables(url)
    callers = Callers()
    try:
        with (
            served(make_app(Database(url), callers)) as base,
            httpx.Client(base_url=base, timeout=30) as client,
        ):
            yield Site(base, client.request, callers, seed, backend)
    finally:
        seed.drop_all(MODELS)
        seed.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a browser Playwright downloads), for one
    module: Playwright's sync API holds an event loop open in this thread while it runs.

    Missing, it skips the browser tests loudly; under ``CI=true`` it fails them.
    """
    message = None
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        message = f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/test does)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "playwright is not installed (it is in the dev extra)"
    if message is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save screenshots (printed at the end of the run)."""
    folder = Path(os.environ.get("STORIED_UI_ARTIFACTS") or tmp_path_factory.mktemp("ui-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    _ARTIFACTS.append(folder)
    return folder


_ARTIFACTS: list[Path] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for folder in _ARTIFACTS:
        shots = sorted(p.name for p in folder.glob("*.png"))
        terminalreporter.write_line(f"UI screenshots in {folder}: {', '.join(shots)}")
