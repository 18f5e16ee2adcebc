"""History over HTTP: change sets with the authenticated actor, scd2 versions, the feed."""

from __future__ import annotations

import base64
from typing import Any
from uuid import uuid4

import pytest

from storied import Database
from tests.api.app import Doc, Product
from tests.api.conftest import Api


def product(sku: str = "H1", **extra: Any) -> dict[str, Any]:
    return {"sku": sku, "name": "hammer", "price": "9.99", **extra}


def test_history_records_the_authenticated_actor(api: Api) -> None:
    tenant = uuid4()
    alice, carol = api.callers.tenant("alice", tenant), api.callers.tenant("carol", tenant)
    bob = api.callers.tenant("bob")
    pid = api.post("/api_products", alice, json=product()).json()["id"]
    api.patch(f"/api_products/{pid}", carol, json={"price": "12.50", "name": "mallet"})
    api.delete(f"/api_products/{pid}", carol)
    api.post(f"/api_products/{pid}/restore", alice)
    # a spoofed header changes nothing: identity comes from the auth dependency only
    api.patch(f"/api_products/{pid}", alice, json={"stock": 2}, headers={"X-User": "mallory"})
    r = api.get(f"/api_products/{pid}/history", alice)
    assert r.status_code == 200, r.text
    sets = r.json()["items"]
    assert [(s["operation"], s["actor"]) for s in sets] == [
        ("create", "alice"),
        ("update", "carol"),
        ("delete", "carol"),
        ("restore", "alice"),
        ("update", "alice"),
    ]
    assert sets[1]["changes"] == {
        "price": {"old": "9.99", "new": "12.50"},
        "name": {"old": "hammer", "new": "mallet"},
    }
    assert all(s["record_id"] == pid for s in sets)
    assert api.get(f"/api_products/{pid}/history", bob).status_code == 404


def test_scd2_versions_compare_revert_and_as_of(api: Api) -> None:
    alice, bob = api.callers.tenant("alice"), api.callers.tenant("bob")
    created = api.post("/api_docs", alice, json={"title": "draft", "score": 1.5}).json()
    url = f"/api_docs/{created['id']}"
    v2 = api.patch(url, alice, json={"title": "final"}, headers={"If-Match": '"1"'}).json()
    api.patch(url, alice, json={"score": 2.0, "published": "2026-01-02"})
    versions = api.get(url + "/versions", alice).json()["items"]
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[0]["valid_to"] == versions[1]["valid_from"]
    assert versions[2]["valid_to"] is None
    assert versions[1]["item"]["title"] == "final"
    diff = api.get(url + "/versions/1/compare/3", alice).json()
    assert diff["changes"] == {
        "title": {"old": "draft", "new": "final"},
        "score": {"old": 1.5, "new": 2.0},
        "published": {"old": None, "new": "2026-01-02"},
    }
    old = api.get(url, alice, params={"as_of": v2["updated_at"]}).json()
    assert old["version"] == 2
    assert old["title"] == "final"
    assert old["score"] == 1.5
    listed = api.get("/api_docs", alice, params={"as_of": created["created_at"]}).json()
    assert [d["title"] for d in listed["items"]] == ["draft"]
    stale = api.post(url + "/revert", alice, json={"version": 1}, headers={"If-Match": '"2"'})
    assert stale.status_code == 412
    r = api.post(url + "/revert", alice, json={"version": 1}, headers={"If-Match": '"3"'})
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "draft"
    assert r.json()["version"] == 4
    assert r.headers["etag"] == '"4"'
    assert api.post(url + "/revert", alice, json={"version": 9}).status_code == 404
    assert api.post(url + "/revert", alice, json={"version": "1"}).status_code == 422
    history = api.get(url + "/history", alice).json()["items"]
    assert [h["operation"] for h in history] == ["create", "update", "update", "update"]
    assert {h["actor"] for h in history} == {"alice"}
    for path in ("", "/versions", "/versions/1/compare/2", "/history"):
        assert api.get(url + path, bob).status_code == 404, path
    assert api.post(url + "/revert", bob, json={"version": 1}).status_code == 404


def doc(title: str = "D1", **extra: Any) -> dict[str, Any]:
    return {"title": title, **extra}


#: a collection of each history strategy: its body, and a change of one or two fields
FEEDS = {
    "/api_products": (product, lambda i: {"stock": i + 1, "name": f"n{i}"}, {"stock": 1}),
    "/api_docs": (doc, lambda i: {"score": i + 1.0, "title": f"n{i}"}, {"score": 1.0}),
}


def pages(api: Api, url: str, caller: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a feed, following its ``next`` links; each page holds at most limit."""
    seen: list[dict[str, Any]] = []
    page = api.get(url, caller, params=params).json()
    for _ in range(50):  # a feed that never ends fails here rather than hanging
        assert len(page["items"]) <= params.get("limit", 100)
        seen += page["items"]
        if page["next"] is None:
            return seen
        page = api.get(page["next"].removeprefix(api.base_url), caller).json()
    raise AssertionError(f"more than 50 pages: {len(seen)} items so far")


@pytest.mark.parametrize("collection", list(FEEDS))
def test_changes_feed_filters_and_pages_by_cursor(api: Api, collection: str) -> None:
    body, two_fields, one_field = FEEDS[collection]
    feed_url = collection + "/changes"
    tenant = uuid4()
    alice, carol = api.callers.tenant("alice", tenant), api.callers.tenant("carol", tenant)
    bob = api.callers.tenant("bob")
    ids: list[str] = []
    for i in range(5):  # audit change sets of 3, 2 and 1 rows, interleaved
        ids.append(api.post(collection, alice, json=body(f"F{i}")).json()["id"])
        change = two_fields(i) if i % 2 else {**one_field}
        assert api.patch(f"{collection}/{ids[-1]}", carol, json=change).status_code == 200
    api.post(collection, bob, json=body("BOB"))
    api.delete(f"{collection}/{ids[0]}", carol)
    feed = api.get(feed_url, alice).json()
    assert len(feed["items"]) == 11
    assert feed["next"] is None
    assert {s["record_id"] for s in feed["items"]} == set(ids)  # never bob's
    assert [s["at"] for s in feed["items"]] == sorted(s["at"] for s in feed["items"])
    by_carol = api.get(feed_url, alice, params={"actor": "carol"}).json()["items"]
    assert len(by_carol) == 6
    assert {s["actor"] for s in by_carol} == {"carol"}
    deletes = api.get(feed_url, alice, params={"operation": "delete"}).json()
    assert [(s["operation"], s["record_id"]) for s in deletes["items"]] == [("delete", ids[0])]
    since, until = feed["items"][5]["at"], feed["items"][9]["at"]
    later = api.get(feed_url, alice, params={"since": since}).json()["items"]
    assert later == [s for s in feed["items"] if s["at"] >= since]
    window = [s for s in feed["items"] if since <= s["at"] < until]
    assert len(window) == 4
    # pages of 1 to 4 (a copy_on_change create is 3 audit rows: pages never cut a change set)
    for limit in (1, 3, 4):
        assert pages(api, feed_url, alice, limit=limit) == feed["items"]
        paged = pages(api, feed_url, alice, limit=limit, since=since, until=until)
        assert paged == window
        assert pages(api, feed_url, alice, limit=limit, actor="carol") == by_carol
    updates = pages(api, feed_url, alice, limit=2, operation="update")
    assert [s["operation"] for s in updates] == ["update"] * 5
    assert api.get(feed_url, alice, params={"cursor": "x"}).status_code == 422
    assert api.get(feed_url, alice, params={"operation": "x"}).status_code == 422
    assert api.get(feed_url, bob).json()["items"][0]["operation"] == "create"
    assert len(api.get(feed_url, bob).json()["items"]) == 1


@pytest.mark.parametrize("collection", list(FEEDS))
def test_changes_feed_pages_through_change_sets_of_one_moment(api: Api, collection: str) -> None:
    """Rows created in one transaction share their moment: the cursor counts within it."""
    model = {"/api_products": Product, "/api_docs": Doc}[collection]
    body = FEEDS[collection][0]
    tenant = uuid4()
    alice = api.callers.tenant("alice", tenant)
    db = Database(api.url).connect()
    try:
        repo = db.repository(model, tenant_id=tenant, actor="alice")
        created = repo.create_many([body(f"M{i}") for i in range(7)])
    finally:
        db.close()
    feed = api.get(collection + "/changes", alice).json()["items"]
    assert len({s["at"] for s in feed}) == 1
    assert [s["record_id"] for s in feed] == [str(m.id) for m in created]
    for limit in (1, 2, 3):
        assert pages(api, collection + "/changes", alice, limit=limit) == feed


def test_a_cursor_is_refused_unless_this_api_issued_it(api: Api) -> None:
    alice = api.callers.tenant("alice")
    forged = [
        "x",
        base64.urlsafe_b64encode(b'{"at":"2026-01-01T00:00:00+00:00"}').decode(),
        base64.urlsafe_b64encode(b'{"at":"2026-01-01T00:00:00+00:00","seen":true}').decode(),
        base64.urlsafe_b64encode(b'{"at":"2026-01-01T00:00:00+00:00","seen":-1}').decode(),
        base64.urlsafe_b64encode(b'{"at":"yesterday","seen":1}').decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
    ]
    for collection in FEEDS:
        for cursor in forged:
            r = api.get(collection + "/changes", alice, params={"cursor": cursor})
            assert r.status_code == 422, (collection, cursor, r.text)
            assert r.json()["type"] == "urn:storied:problem:validation-error"


def test_bulk_writes_answer_per_item(api: Api) -> None:
    alice, bob = api.callers.tenant("alice"), api.callers.tenant("bob")
    foreign = api.post("/api_products", bob, json=product("BOB")).json()["id"]
    r = api.post(
        "/api_products/bulk/create",
        alice,
        json={"items": [product("B1"), product("B2"), product("B1")]},
    )
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == [201, 201, 409]
    assert results[2]["problem"]["fields"] == ["sku"]
    b1, b2 = results[0]["item"]["id"], results[1]["item"]["id"]
    r = api.post(
        "/api_products/bulk/update",
        alice,
        json={
            "items": [
                {"id": b1, "version": 1, "changes": {"stock": 4}},
                {"id": b2, "version": 7, "changes": {"stock": 4}},
                {"id": foreign, "changes": {"stock": 4}},
            ]
        },
    )
    assert [x["status"] for x in r.json()["results"]] == [200, 412, 404]
    assert r.json()["results"][0]["item"]["stock"] == 4
    r = api.post("/api_products/bulk/delete", alice, json={"ids": [b2, foreign]})
    assert [x["status"] for x in r.json()["results"]] == [204, 404]
    assert api.get(f"/api_products/{foreign}", bob).status_code == 200
    listed = api.get("/api_products", alice).json()["items"]
    assert [(p["sku"], p["stock"]) for p in listed] == [("B1", 4)]
    # an invalid item refuses the whole request before anything is written
    bad = api.post("/api_products/bulk/create", alice, json={"items": [product("B3"), {"sku": 1}]})
    assert bad.status_code == 422
    assert api.get("/api_products", alice, params={"sku": "B3"}).json()["total"] == 0
    assert api.post("/api_products/bulk/create", alice, json={"items": []}).status_code == 422
