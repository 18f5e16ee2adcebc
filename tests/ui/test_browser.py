"""The history browser in a real browser: Debian's Chromium driven by Playwright, against the
app served by uvicorn on a loopback port, on SQLite and PostgreSQL. Every scenario of issue 18,
no console errors on any page, every control labelled, usable with the keyboard; screenshots
of the record page and the compare view are saved (the run prints where)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.app import Page
from tests.ui.conftest import Site

#: a page answered with this status is expected; Chromium logs it as a console error
EXPECTED_STATUS = re.compile(
    r"Failed to load resource: the server responded with a status of (\d+)"
)

CONTROLS = "input:not([type=hidden]), select, textarea, button"
UNLABELLED = f"""() => [...document.querySelectorAll('{CONTROLS}')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML)"""


class Browser:
    """A browser tab signed in as one caller, recording console errors."""

    def __init__(self, page: Any, site: Site) -> None:
        self.page, self.site = page, site
        self.errors: list[str] = []
        self.allowed: set[str] = set()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def goto(self, path: str, status: int = 200) -> Any:
        response = self.page.goto(self.site.base + path)
        assert response.status == status, (path, response.status)
        if status != 200:
            self.allowed.add(str(status))
        self.check_labels()
        return response

    def check_labels(self) -> None:
        assert self.page.evaluate(UNLABELLED) == [], self.page.url

    def unexpected_errors(self) -> list[str]:
        out = []
        for text in self.errors:
            expected = EXPECTED_STATUS.search(text)
            if expected and expected.group(1) in self.allowed:
                continue
            out.append(text)
        return out


@pytest.fixture
def tab(chromium: Any, site: Site) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_as(token: str) -> Browser:
        context = chromium.new_context(
            extra_http_headers={"Authorization": f"Bearer {token}"},
            viewport={"width": 1200, "height": 900},
        )
        context.set_default_timeout(5000)
        contexts.append(context)
        return Browser(context.new_page(), site)

    browsers: list[Browser] = []

    def make(token: str) -> Browser:
        b = open_as(token)
        browsers.append(b)
        return b

    yield make
    for context in contexts:
        context.close()
    for b in browsers:
        assert b.unexpected_errors() == [], b.errors


def _shot(page: Any, artifacts: Path, site: Site, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}-{site.backend}.png"), full_page=True)


def test_from_the_models_to_a_record_and_its_diff(site: Site, tab: Any, artifacts: Path) -> None:
    token, tenant = site.tenant("ann")
    tool, _ = site.story(tenant)
    b = tab(token)
    b.goto("/ui/")
    b.page.get_by_role("link", name="Tool", exact=True).click()
    b.page.get_by_label("Deleted records").select_option("include")
    b.page.get_by_role("button", name="Show").click()
    b.check_labels()
    b.page.get_by_role("link", name=str(tool.id)).click()
    b.check_labels()
    timeline = b.page.locator("ol.timeline > li")
    assert timeline.count() == 4
    newest_update = timeline.nth(2)  # delete, update (specs), update (name, price), create
    assert newest_update.locator("del").first.inner_text() == "claw"
    assert newest_update.locator("ins").first.inner_text() == "framing"
    assert "by bob" in newest_update.inner_text()
    ins = timeline.nth(1).locator("pre.json-diff ins")
    assert '"weight": 2' in ins.inner_text()
    colour = ins.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour != "rgba(0, 0, 0, 0)"  # the diff is coloured by the app's own stylesheet
    _shot(b.page, artifacts, site, "record")


def test_compare_two_versions_and_travel_in_time(site: Site, tab: Any, artifacts: Path) -> None:
    token, tenant = site.tenant("ann")
    _, page = site.story(tenant)
    b = tab(token)
    b.goto(f"/ui/ui_pages/{page.id}")
    b.page.get_by_label("Show the record as it was at (UTC)").fill("2026-03-01T10:30:00")
    b.page.get_by_role("button", name="Travel").click()
    then = b.page.locator(".then")
    assert "Final notes" in then.inner_text()
    assert "As of 2026-03-01 10:30:00.000000 UTC: version 2" in b.page.inner_text("main")
    b.page.get_by_label("Compare version").fill("1")
    b.page.get_by_label("with version").fill("3")
    b.page.get_by_role("button", name="Compare").click()
    b.check_labels()
    assert b.page.locator("h1").inner_text() == "Version 1 and version 3"
    differs = b.page.locator("tr.differs th")
    assert differs.all_inner_texts() == ["title", "body", "score", "published"]
    assert b.page.locator("tr.differs del").first.inner_text() == "Draft"
    _shot(b.page, artifacts, site, "compare")


def test_revert_from_the_versions_and_see_it_in_the_timeline(site: Site, tab: Any) -> None:
    token, tenant = site.tenant("ann")
    _, page = site.story(tenant)
    b = tab(token)
    b.goto(f"/ui/ui_pages/{page.id}")
    b.page.get_by_role("link", name=re.compile(r"Revert to this.*version 1\b")).click()
    b.check_labels()
    assert b.page.locator("h1").inner_text() == "Revert to version 1?"
    b.page.get_by_role("button", name="Revert to version 1").click()
    assert "Reverted: version 4 is the record now." in b.page.get_by_role("status").inner_text()
    newest = b.page.locator("ol.timeline > li").first.locator("h3").inner_text().lower()
    assert newest.startswith("update by ann")
    assert newest.endswith("(version 4)")
    assert (
        b.page.locator("table.versions tbody tr").first.locator("th").inner_text() == "4 (current)"
    )
    assert site.repo(Page, tenant).get(page.id).title == "Draft notes"


def test_restore_a_deleted_record(site: Site, tab: Any) -> None:
    token, tenant = site.tenant("ann")
    tool, _ = site.story(tenant)
    b = tab(token)
    b.goto(f"/ui/ui_tools/{tool.id}")
    b.page.get_by_role("link", name="Restore this record…").click()
    b.page.get_by_role("button", name="Restore").click()
    assert b.page.get_by_role("status").inner_text() == "Restored."
    assert b.page.locator("h1 .badge").count() == 0
    assert b.page.locator("ol.timeline > li .op").first.inner_text().lower() == "restore"


def test_a_stale_revert_is_refused(site: Site, tab: Any) -> None:
    token, tenant = site.tenant("ann")
    _, page = site.story(tenant)
    b = tab(token)
    b.goto(f"/ui/ui_pages/{page.id}/confirm?action=revert&version=1")
    site.repo(Page, tenant, "bob").update(page.id, score=7.0)  # meanwhile, another write
    b.allowed.add("409")
    b.page.get_by_role("button", name="Revert to version 1").click()
    assert b.page.locator("h1").inner_text() == "Changed since you looked"
    assert "it is at version 4 now" in b.page.get_by_role("alert").inner_text()
    assert site.repo(Page, tenant).get(page.id).score == 7.0


def test_another_tenants_record_and_a_missing_role(site: Site, tab: Any) -> None:
    _, tenant = site.tenant("ann")
    tool, page = site.story(tenant)
    eve = tab(site.tenant("eve")[0])
    eve.goto(f"/ui/ui_tools/{tool.id}", status=404)
    assert eve.page.locator("h1").inner_text() == "Not found"
    assert "hammer" not in eve.page.content()
    viewer = tab(site.tenant("vic", tenant, roles=frozenset())[0])
    viewer.goto(f"/ui/ui_pages/{page.id}")
    assert viewer.page.get_by_role("link", name=re.compile("Revert")).count() == 0
    viewer.goto(f"/ui/ui_pages/{page.id}/confirm?action=revert&version=1", status=403)
    assert viewer.page.locator("h1").inner_text() == "Forbidden"


def test_the_feed_and_the_keyboard(site: Site, tab: Any) -> None:
    token, tenant = site.tenant("ann")
    tool, _ = site.story(tenant)
    site.story(site.tenant("eve")[1])
    b = tab(token)
    b.goto("/ui/changes")
    entries = b.page.locator("ol.feed > li")
    assert entries.count() == 5  # a page; the rest is behind "Older changes"
    assert str(tenant) not in b.page.content()
    b.page.get_by_role("link", name="Older changes").click()
    assert b.page.locator("ol.feed > li").count() == 2
    b.page.get_by_label("Operation").select_option("delete")
    b.page.get_by_role("button", name="Show").click()
    assert b.page.locator("ol.feed > li").count() == 1
    # keyboard only: the skip link first, then the navigation, Enter follows a link
    b.page.keyboard.press("Tab")
    assert b.page.evaluate("document.activeElement.textContent") == "Skip to content"
    b.page.keyboard.press("Tab")
    b.page.keyboard.press("Tab")
    assert b.page.evaluate("document.activeElement.textContent") == "Recent changes"
    link = b.page.get_by_role("link", name=re.compile(f"Tool {tool.id}"))
    link.focus()
    b.page.keyboard.press("Enter")
    b.page.wait_for_url(re.compile(f"/ui/ui_tools/{tool.id}$"))
    b.check_labels()
    # without styles the timeline reads in order: newest first, in the document's own order
    b.page.evaluate("document.querySelectorAll('link[rel=stylesheet]').forEach(l => l.remove())")
    times = b.page.locator("ol.timeline time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert times == sorted(times, reverse=True)
    assert len(times) == 4
