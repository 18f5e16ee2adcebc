"""The history browser's pages in-process (httpx over ASGI) on SQLite, PostgreSQL and MariaDB:
lists, record, timeline, versions, as-of, compare, revert and restore with role, CSRF and ETag
checks, the feed — and tenancy: nothing of another tenant is shown, counted or writable."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from storied.ui.context import Ui
from storied.ui.csrf import Csrf
from tests.ui.app import PAGE_SIZE, SECRET, Page, Tool
from tests.ui.conftest import Site


def text(body: str) -> str:
    """A page's visible text, tags removed (enough to read what a person reads)."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def hidden(body: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', body)
    assert found, f"no {name} in the form"
    return found.group(1)


def test_the_models_page_counts_only_the_callers_tenant(pages: Site) -> None:
    token, tenant = pages.tenant("ann")
    other, other_tenant = pages.tenant("eve")
    pages.story(tenant)
    pages.story(other_tenant)
    pages.story(other_tenant)
    r = pages.get("/ui/", token)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    words = text(r.text)
    assert "Tool copy_on_change 0" in words  # the only tool is deleted
    assert "Page scd2 1" in words
    assert "Page scd2 2" in text(pages.get("/ui/", other).text)


def test_records_search_filters_sort_paging_and_deleted(pages: Site) -> None:
    token, tenant = pages.tenant("ann")
    repo = pages.repo(Tool, tenant)
    for i in range(7):
        repo.create(Tool(sku=f"S{i}-{uuid4().hex[:4]}", name=f"saw {i}", price=Decimal(i)))
    gone = repo.create(Tool(sku=f"G-{uuid4().hex[:4]}", name="lost saw", price=Decimal(50)))
    repo.delete(gone.id)
    _, stranger = pages.tenant("eve")
    pages.repo(Tool, stranger).create(Tool(sku=f"X-{uuid4().hex[:4]}", name="saw 9", price=1))
    first = text(pages.get("/ui/ui_tools", token, params={"sort": "price"}).text)
    assert f"1 to {PAGE_SIZE} of 7" in first
    assert first.index("saw 0") < first.index("saw 4")
    assert "saw 5" not in first
    assert "saw 9" not in first
    assert "lost saw" not in first
    second = text(pages.get("/ui/ui_tools", token, params={"sort": "price", "offset": 5}).text)
    assert "6 to 7 of 7" in second
    assert "saw 6" in second
    assert "saw 0" not in second
    down = text(pages.get("/ui/ui_tools", token, params={"sort": "-price"}).text)
    assert down.index("saw 6") < down.index("saw 2")
    found = text(pages.get("/ui/ui_tools", token, params={"q": "SAW 3"}).text)
    assert "1 to 1 of 1" in found
    assert "saw 3" in found
    cheap = {"field": "price", "op": "lt", "value": "2", "sort": "price"}
    assert "1 to 2 of 2" in text(pages.get("/ui/ui_tools", token, params=cheap).text)
    with_deleted = text(
        pages.get("/ui/ui_tools", token, params={"deleted": "include", "sort": "-price"}).text
    )
    assert "of 8" in with_deleted
    assert "lost saw" in with_deleted
    assert "deleted" in with_deleted
    only = text(pages.get("/ui/ui_tools", token, params={"deleted": "only"}).text)
    assert "1 to 1 of 1" in only
    assert "lost saw" in only
    bad = pages.get("/ui/ui_tools", token, params={"field": "nope", "value": "1"})
    assert bad.status_code == 422
    assert "nope" in text(bad.text)
    assert pages.get("/ui/no_such_model", token).status_code == 404


def test_the_record_page_shows_values_timeline_and_diffs(pages: Site) -> None:
    token, tenant = pages.tenant("ann")
    tool, _ = pages.story(tenant)
    r = pages.get(f"/ui/ui_tools/{tool.id}", token)
    assert r.status_code == 200, r.text
    body = r.text
    words = text(body)
    assert "framing hammer" in words
    assert "deleted" in words
    # newest first: delete, update (specs), update (name, price), create
    ops = re.findall(r'<span class="op">(\w+)</span>', body)
    assert ops == ["delete", "update", "update", "create"]
    assert "<del>claw</del><ins>framing</ins> hammer" in body  # the word that changed
    assert "<del>9.99</del>" in body
    assert "<ins>12.50</ins>" in body
    assert "<del>  &#34;weight&#34;: 1</del>" in body
    assert "<ins>  &#34;weight&#34;: 2</ins>" in body
    assert "by bob" in words
    assert "by ann" in words
    assert "Restore this record" in words  # ann is an editor and the tool is deleted


def test_another_tenants_record_is_a_404_page_everywhere(pages: Site) -> None:
    _, tenant = pages.tenant("ann")
    tool, page = pages.story(tenant)
    eve, _ = pages.tenant("eve")
    for path in (
        f"/ui/ui_tools/{tool.id}",
        f"/ui/ui_pages/{page.id}",
        f"/ui/ui_pages/{page.id}/compare?a=1&b=2",
        f"/ui/ui_pages/{page.id}/confirm?action=revert&version=1",
        f"/ui/ui_tools/{tool.id}/confirm?action=restore",
        f"/ui/ui_pages/{uuid4()}",
    ):
        r = pages.get(path, eve)
        assert r.status_code == 404, path
        assert "Not found" in text(r.text) or "not found" in text(r.text), path
        assert "Draft" not in r.text
        assert "hammer" not in r.text
    csrf = hidden(
        pages.get(
            f"/ui/ui_pages/{page.id}/confirm?action=revert&version=1",
            pages.tenant("ann", tenant)[0],
        ).text,
        "csrf",
    )
    assert csrf  # eve's own token is what a forged form would need; hers gives a 404 anyway
    eve_form = pages.get("/ui/", eve).text  # eve's pages carry no form token of ann's
    assert csrf not in eve_form
    r = pages.post(
        f"/ui/ui_pages/{page.id}/revert", eve, {"csrf": csrf, "etag": "3", "version": "1"}
    )
    assert r.status_code in (403, 404)
    assert pages.repo(Page, tenant).get(page.id).version == 3


def test_versions_as_of_and_compare(pages: Site) -> None:
    token, tenant = pages.tenant("ann")
    _, page = pages.story(tenant)
    url = f"/ui/ui_pages/{page.id}"
    body = pages.get(url, token).text
    assert re.findall(r'<th scope="row">(\d+)', body)[:3] == ["3", "2", "1"]
    then = text(pages.get(url, token, params={"as_of": "2026-03-01T09:30"}).text)
    assert "As of 2026-03-01 09:30:00.000000 UTC: version 1" in then
    assert "Draft notes" in then
    before = text(pages.get(url, token, params={"as_of": "2026-02-01T00:00"}).text)
    assert "did not exist" in before
    assert pages.get(url, token, params={"as_of": "yesterday"}).status_code == 422
    r = pages.get(url + "/compare", token, params={"a": "1", "b": "3"})
    assert r.status_code == 200, r.text
    assert r.text.count('class="differs"') == 4  # title, body, score, published
    assert "<del>Draft</del><ins>Final</ins> notes" in r.text
    assert pages.get(url + "/compare", token, params={"a": "1", "b": "9"}).status_code == 404
    assert pages.get(url + "/compare", token, params={"a": "x", "b": "1"}).status_code == 422


def test_revert_needs_the_role_a_token_and_a_fresh_etag(pages: Site) -> None:
    token, tenant = pages.tenant("ann")
    viewer, _ = pages.tenant("vic", tenant, roles=frozenset())
    _, page = pages.story(tenant)
    url = f"/ui/ui_pages/{page.id}"
    confirm = pages.get(url + "/confirm", token, params={"action": "revert", "version": "1"})
    assert confirm.status_code == 200
    assert "Revert to version 1?" in text(confirm.text)
    form = {
        "csrf": hidden(confirm.text, "csrf"),
        "etag": hidden(confirm.text, "etag"),
        "version": "1",
    }
    assert form["etag"] == "3"
    denied = pages.get(url + "/confirm", viewer, params={"action": "revert", "version": "1"})
    assert denied.status_code == 403
    assert "editor" in text(denied.text)
    viewer_form = pages.get(url, viewer).text
    assert "Revert to this" not in viewer_form
    # the viewer's own valid token (as the app would sign it): the role alone refuses
    viewer_csrf = Csrf(SECRET).token(pages.callers.tokens[viewer])
    refused = pages.post(url + "/revert", viewer, {**form, "csrf": viewer_csrf})
    assert refused.status_code == 403
    assert "editor" in text(refused.text)
    assert pages.post(url + "/revert", token, {**form, "csrf": "forged"}).status_code == 403
    assert (
        pages.post(
            url + "/revert", token, {k: v for k, v in form.items() if k != "csrf"}
        ).status_code
        == 403
    )
    assert pages.repo(Page, tenant).get(page.id).version == 3  # nothing written so far
    pages.repo(Page, tenant, "bob").update(page.id, score=9.0)  # someone else writes: v4
    stale = pages.post(url + "/revert", token, form)
    assert stale.status_code == 409
    assert "Changed since you looked" in text(stale.text)
    assert "version 4" in text(stale.text)
    assert pages.repo(Page, tenant).get(page.id).score == 9.0
    fresh = {**form, "etag": "4"}
    done = pages.post(url + "/revert", token, fresh)
    assert done.status_code == 303
    assert done.headers["location"].endswith(f"{url}?done=revert")
    now = pages.repo(Page, tenant).get(page.id)
    assert (now.version, now.title, now.score, now.updated_by) == (5, "Draft notes", 1.0, "ann")
    shown = text(pages.get(url + "?done=revert", token).text)
    assert "Reverted: version 5 is the record now" in shown


def test_restore_a_deleted_record(pages: Site) -> None:
    token, tenant = pages.tenant("ann")
    tool, _ = pages.story(tenant)
    url = f"/ui/ui_tools/{tool.id}"
    confirm = pages.get(url + "/confirm", token, params={"action": "restore"})
    assert "Restore this record?" in text(confirm.text)
    form = {"csrf": hidden(confirm.text, "csrf"), "etag": hidden(confirm.text, "etag")}
    assert pages.post(url + "/restore", token, {**form, "etag": "1"}).status_code == 409
    assert pages.post(url + "/restore", token, form).status_code == 303
    restored = pages.repo(Tool, tenant).get(tool.id)
    assert restored.deleted_at is None
    assert restored.name == "framing hammer"
    ops = re.findall(r'<span class="op">(\w+)</span>', pages.get(url, token).text)
    assert ops[:2] == ["restore", "delete"]
    assert (
        pages.get(url + "/confirm", token, params={"action": "revert", "version": "1"}).status_code
        == 403
    )


def test_the_timeline_pages_a_long_history(pages: Site) -> None:
    token, tenant = pages.tenant("ann")
    repo = pages.repo(Tool, tenant)
    tool = repo.create(Tool(sku=f"L-{uuid4().hex[:6]}", name="n0", price=Decimal(0)))
    for i in range(1, 12):
        repo.update(tool.id, name=f"n{i}", price=Decimal(i))
    url = f"/ui/ui_tools/{tool.id}"
    seen: list[str] = []
    path: str | None = url
    while path:
        body = pages.get(path, token).text
        names = re.findall(r"<ins>(n\d+)</ins>", body)
        assert 0 < len(names) <= PAGE_SIZE
        seen += names
        older = re.search(r'<a href="([^"]+)">Older changes</a>', body)
        path = html.unescape(older.group(1)).removeprefix(pages.base) if older else None
    assert seen == [f"n{i}" for i in range(11, -1, -1)]


def test_the_feed_is_the_tenants_newest_first_and_cursor_paged(pages: Site) -> None:
    token, tenant = pages.tenant("ann")
    pages.story(tenant)
    _, stranger = pages.tenant("eve")
    pages.story(stranger)
    body = pages.get("/ui/changes", token).text
    ops = re.findall(r'<span class="op">(\w+)</span>', body)
    # 8 change sets: the tool's 4 and the page's 3, newest first (page size 5)
    assert ops == ["delete", "update", "update", "update", "update"]
    more = re.search(r'<a rel="next" href="([^"]+)">', body)
    assert more
    rest = pages.get(html.unescape(more.group(1)).removeprefix(pages.base), token).text
    assert re.findall(r'<span class="op">(\w+)</span>', rest) == ["create", "create"]
    assert 'rel="next"' not in rest
    assert str(stranger) not in body + rest
    by_bob = pages.get("/ui/changes", token, params={"actor": "bob"}).text
    assert re.findall(r"by <span class=\"actor\">(\w+)", by_bob) == ["bob", "bob"]
    creates = pages.get("/ui/changes", token, params={"operation": "create", "model": "ui_pages"})
    assert len(re.findall(r'<span class="op">create', creates.text)) == 1
    window = {"since": "2026-03-01T10:00", "until": "2026-03-01T11:00"}
    assert len(re.findall(r'class="op"', pages.get("/ui/changes", token, params=window).text)) == 2
    assert pages.get("/ui/changes", token, params={"cursor": "garbage"}).status_code == 422
    assert pages.get("/ui/changes", token, params={"model": "ui_memos"}).status_code == 404


def test_pages_need_an_authenticated_caller(pages: Site) -> None:
    assert pages.get("/ui/", None).status_code == 401
    css = pages.get("/ui/static/storied.css", None)
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert pages.get("/ui/static/..%2Fapp.py", None).status_code == 404
    assert pages.get("/ui/static/nothing.js", None).status_code == 404


def test_the_feed_pages_through_many_change_sets_of_one_moment(pages: Site) -> None:
    """One transaction updates a dozen scd2 records at one moment, in the reverse of their
    ids' order: pages neither lose nor repeat a change set (the feed widens its reads rather
    than cut a moment in two)."""
    token, tenant = pages.tenant("ann")
    repo = pages.repo(Page, tenant)
    rows = [repo.create(Page(title=f"p{i}")) for i in range(12)]
    pages.seed_db.clock.advance(hours=1)  # type: ignore[attr-defined]
    with pages.seed_db.transaction():
        for row in reversed(rows):
            repo.update(row.id, title=f"{row.title} v2")
    seen: list[str] = []
    path: str | None = "/ui/changes?operation=update"
    while path:
        body = pages.get(path, token).text
        seen += re.findall(r'ui_pages/([0-9a-f-]{36})">Page', body)
        more = re.search(r'<a rel="next" href="([^"]+)">', body)
        path = html.unescape(more.group(1)).removeprefix(pages.base) if more else None
    assert sorted(seen) == sorted(str(row.id) for row in rows)  # each once, none lost


def test_a_write_landing_between_the_check_and_the_revert_is_refused_by_the_write(
    pages: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the page's ETag goes to the write as expected_version, so a change that lands after the
    # page's version check (here: made just before the revert runs) still cannot be overwritten
    token, tenant = pages.tenant("ann")
    _, page = pages.story(tenant)
    url = f"/ui/ui_pages/{page.id}"
    confirm = pages.get(url + "/confirm", token, params={"action": "revert", "version": "1"})
    form = {
        "csrf": hidden(confirm.text, "csrf"),
        "etag": hidden(confirm.text, "etag"),
        "version": "1",
    }
    call = Ui.call

    async def racing(self: Ui, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(fn, "__name__", "") == "revert":
            pages.repo(Page, tenant, "bob").update(page.id, score=9.0)  # v4, after the check
        return await call(self, fn, *args, **kwargs)

    monkeypatch.setattr(Ui, "call", racing)
    stale = pages.post(url + "/revert", token, form)
    assert stale.status_code == 409
    assert "Changed since you looked" in text(stale.text)
    now = pages.repo(Page, tenant).get(page.id)
    assert (now.version, now.score, now.updated_by) == (4, 9.0, "bob")
