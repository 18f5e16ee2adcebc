"""CRUD over HTTP on every backend, in-process and over real HTTP, with two tenants each."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from tests.api.conftest import Api

PROBLEM = "application/problem+json"


def product(sku: str = "A1", **extra: Any) -> dict[str, Any]:
    return {"sku": sku, "name": f"item {sku}", "price": "9.99", **extra}


def test_create_answers_201_with_location_and_etag(api: Api) -> None:
    alice = api.callers.tenant("alice")
    r = api.post("/api_products", alice, json=product(color="red", stock=3))
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"].endswith(f"/api_products/{body['id']}")
    assert body["price"] == "9.99"
    assert body["color"] == "red"
    assert body["stock"] == 3
    assert body["created_by"] == "alice"
    assert body["version"] == 1
    got = api.get(r.headers["location"].removeprefix(api.base_url), alice)
    assert got.status_code == 200
    assert got.json() == body
    assert got.headers["etag"] == '"1"'


def test_another_tenants_id_is_404_like_a_missing_one(api: Api) -> None:
    alice, bob = api.callers.tenant("alice"), api.callers.tenant("bob")
    pid = api.post("/api_products", alice, json=product()).json()["id"]
    missing = f"/api_products/{uuid4()}"
    for path in (f"/api_products/{pid}", missing):
        for method, kw in (
            ("GET", {}),
            ("PATCH", {"json": {"name": "x"}}),
            ("PUT", {"json": product()}),
            ("DELETE", {}),
        ):
            r = api.request(method, path, bob, **kw)
            assert r.status_code == 404, (method, path, r.text)
            assert r.headers["content-type"] == PROBLEM
            assert r.json()["type"] == "urn:storied:problem:not-found"
        for suffix in ("/restore",):
            assert api.post(path + suffix, bob).status_code == 404
        assert api.get(path + "/history", bob).status_code == 404
    # nothing bob did reached alice's row
    row = api.get(f"/api_products/{pid}", alice).json()
    assert row["version"] == 1
    assert row["name"] == "item A1"


def test_a_write_naming_another_tenant_is_403_and_writes_nothing(api: Api) -> None:
    alice = api.callers.tenant("alice")
    r = api.post("/api_products", alice, json=product(tenant_id=str(uuid4())))
    assert r.status_code == 403
    assert r.json()["type"] == "urn:storied:problem:tenant-violation"
    assert api.get("/api_products", alice).json()["total"] == 0


def test_list_filters_sorts_and_counts_within_the_tenant(api: Api) -> None:
    alice, bob = api.callers.tenant("alice"), api.callers.tenant("bob")
    for i, price in enumerate(["5.00", "15.00", "25.00", "8.00"]):
        color = "red" if i % 2 else "blue"
        api.post("/api_products", alice, json=product(f"S{i}", price=price, color=color))
    api.post("/api_products", bob, json=product("S9", price="1.00"))
    r = api.get("/api_products", alice, params={"price__lt": "20", "sort": "-price"})
    assert r.status_code == 200, r.text
    page = r.json()
    assert [i["sku"] for i in page["items"]] == ["S1", "S3", "S0"]
    assert page["total"] == 3
    assert page["next"] is None
    r = api.get("/api_products", alice, params={"sku__in": "S0,S2,S9", "sort": "sku"})
    assert [i["sku"] for i in r.json()["items"]] == ["S0", "S2"]  # S9 is bob's
    r = api.get("/api_products", alice, params={"name__contains": "S3"})
    assert [i["sku"] for i in r.json()["items"]] == ["S3"]
    r = api.get("/api_products", alice, params={"color": "red", "sort": "sku"})
    assert [i["sku"] for i in r.json()["items"]] == ["S1", "S3"]
    r = api.get("/api_products", bob)
    assert [i["sku"] for i in r.json()["items"]] == ["S9"]
    page = api.get("/api_products", alice, params={"sort": "price", "limit": 2, "offset": 1}).json()
    assert [i["sku"] for i in page["items"]] == ["S3", "S1"]
    assert page["total"] == 4
    assert page["limit"] == 2
    assert page["offset"] == 1


def test_list_refuses_unknown_fields_bad_values_and_huge_pages(api: Api) -> None:
    alice = api.callers.tenant("alice")
    for params in (
        {"nope": "1"},
        {"sku__between": "a"},
        {"sort": "-nope"},
        {"price__lt": "cheap"},
        {"limit": "501"},
        {"limit": "0"},
        {"cursor": "not-a-cursor"},
        {"stock__contains": "1"},
    ):
        r = api.get("/api_products", alice, params=params)
        assert r.status_code == 422, (params, r.text)
        assert r.headers["content-type"] == PROBLEM
        assert "cheap" not in r.text


def test_keyset_cursor_walks_every_row_once(api: Api) -> None:
    alice, bob = api.callers.tenant("alice"), api.callers.tenant("bob")
    for i in range(7):
        api.post("/api_products", alice, json=product(f"K{i}", price=f"{i % 3}.00"))
        api.post("/api_products", bob, json=product(f"K{i}"))
    seen: list[str] = []
    page = api.get("/api_products", alice, params={"sort": "-price", "limit": 3}).json()
    pages = 1
    while True:
        seen += [i["sku"] for i in page["items"]]
        assert page["total"] == 7
        if page["next"] is None:
            break
        page = api.get(page["next"].removeprefix(api.base_url), alice).json()
        pages += 1
    assert pages == 3
    assert sorted(seen) == [f"K{i}" for i in range(7)]
    assert len(seen) == len(set(seen))
    # a cursor of another sort is refused, not misread
    first = api.get("/api_products", alice, params={"sort": "-price", "limit": 3}).json()
    cursor = first["next"].split("cursor=")[1]
    r = api.get("/api_products", alice, params={"sort": "name", "cursor": cursor})
    assert r.status_code == 422


def test_patch_put_and_if_match(api: Api) -> None:
    alice = api.callers.tenant("alice")
    pid = api.post("/api_products", alice, json=product(stock=5)).json()["id"]
    url = f"/api_products/{pid}"
    r = api.patch(url, alice, json={"price": "12.50"}, headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["price"] == "12.50"
    assert r.json()["stock"] == 5
    assert r.headers["etag"] == '"2"'
    stale = api.patch(url, alice, json={"price": "1.00"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["type"] == "urn:storied:problem:precondition-failed"
    garbage = api.patch(url, alice, json={"price": "1.00"}, headers={"If-Match": "garbage"})
    assert garbage.status_code == 422  # no entity tag of this API
    assert api.get(url, alice).json()["price"] == "12.50"
    r = api.put(url, alice, json={"sku": "A1", "name": "new", "price": "3.00"})
    assert r.status_code == 200
    assert r.json()["stock"] == 0
    assert r.json()["color"] is None
    assert api.put(url, alice, json={"name": "only"}).status_code == 422  # PUT is complete
    r = api.delete(url, alice, headers={"If-Match": '"2"'})
    assert r.status_code == 412
    assert api.get(url, alice).status_code == 200


def test_if_match_required_router_answers_428(api: Api) -> None:
    alice = api.callers.tenant("alice")
    pid = api.post("/strict/products", alice, json=product()).json()["id"]
    url = f"/strict/products/{pid}"
    r = api.patch(url, alice, json={"name": "x"})
    assert r.status_code == 428
    assert r.json()["type"] == "urn:storied:problem:precondition-required"
    assert api.delete(url, alice).status_code == 428
    assert api.patch(url, alice, json={"name": "x"}, headers={"If-Match": '"1"'}).status_code == 200
    assert api.delete(url, alice, headers={"If-Match": '"2"'}).status_code == 204
    unversioned = {"items": [{"id": pid, "changes": {"name": "y"}}]}
    assert api.post("/strict/products/bulk/update", alice, json=unversioned).status_code == 428
    assert api.post("/strict/products/bulk/delete", alice, json={"ids": [pid]}).status_code == 428


def test_delete_is_soft_restore_brings_back_purge_needs_admin(api: Api) -> None:
    tenant = uuid4()
    alice = api.callers.tenant("alice", tenant)
    root = api.callers.tenant("root", tenant, admin=True)
    pid = api.post("/api_products", alice, json=product()).json()["id"]
    url = f"/api_products/{pid}"
    r = api.delete(url, alice)
    assert r.status_code == 204
    assert r.content == b""
    assert api.get(url, alice).status_code == 404
    gone = api.get(url, alice, params={"deleted": "include"}).json()
    assert gone["deleted_by"] == "alice"
    listed = api.get("/api_products", alice, params={"deleted": "only"}).json()
    assert [i["id"] for i in listed["items"]] == [pid]
    r = api.post(url + "/restore", alice)
    assert r.status_code == 200
    assert r.json()["deleted_at"] is None
    forbidden = api.delete(url, alice, params={"purge": "true"})
    assert forbidden.status_code == 403
    assert forbidden.json()["type"] == "urn:storied:problem:forbidden"
    assert api.get(url, alice).status_code == 200
    assert api.delete(url, root, params={"purge": "true"}).status_code == 204
    assert api.get(url, alice, params={"deleted": "include"}).status_code == 404


@pytest.mark.parametrize("collection", ["/api_products", "/api_docs", "/api_notes"])
def test_if_match_on_delete_restore_and_purge(api: Api, collection: str) -> None:
    """The core checks the version inside the write: a stale ETag is 412 and writes nothing."""
    tenant = uuid4()
    alice = api.callers.tenant("alice", tenant)
    root = api.callers.tenant("root", tenant, admin=True)
    body = {"/api_products": product(), "/api_docs": {"title": "t"}, "/api_notes": {"text": "n"}}
    url = f"{collection}/{api.post(collection, alice, json=body[collection]).json()['id']}"
    stale = api.delete(url, alice, headers={"If-Match": '"2"'})
    assert stale.status_code == 412, stale.text
    assert stale.json()["type"] == "urn:storied:problem:precondition-failed"
    assert api.get(url, alice).headers["etag"] == '"1"'
    assert api.delete(url, alice, headers={"If-Match": '"1"'}).status_code == 204
    assert api.post(url + "/restore", alice, headers={"If-Match": '"1"'}).status_code == 412
    assert api.get(url, alice, params={"deleted": "include"}).json()["deleted_at"] is not None
    restored = api.post(url + "/restore", alice, headers={"If-Match": '"2"'})
    assert restored.status_code == 200
    assert restored.headers["etag"] == '"3"'
    stale = api.delete(url, root, params={"purge": "true"}, headers={"If-Match": '"2"'})
    assert stale.status_code == 412
    assert api.get(url, alice).status_code == 200
    purged = api.delete(url, root, params={"purge": "true"}, headers={"If-Match": '"3"'})
    assert purged.status_code == 204
    assert api.get(url, alice, params={"deleted": "include"}).status_code == 404
    gone = api.delete(url, root, params={"purge": "true"}, headers={"If-Match": '"3"'})
    assert gone.status_code == 404


def test_request_bodies_are_strict(api: Api) -> None:
    alice = api.callers.tenant("alice")
    cases = [
        product(price=False),  # no false as 0.0
        product(stock="3"),  # no string as an integer
        product(stock=True),
        product(version=7),  # bookkeeping fields are not the client's
        product(extra="x"),
        {"sku": "A1"},  # required fields
        product(price="-1"),  # the model's own bounds
        product(sku="x" * 65),
    ]
    for body in cases:
        r = api.post("/api_products", alice, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"] == PROBLEM
        assert r.json()["errors"], r.text
        assert "x" * 65 not in r.text
    json_type = {"content-type": "application/json"}
    r = api.post("/api_products", alice, content=b'{"sku": ', headers=json_type)
    assert r.status_code == 400
    assert r.json()["type"] == "urn:storied:problem:malformed-request"
    assert api.post("/api_products", alice, content=b"").status_code == 400
    assert api.get("/api_products", alice).json()["total"] == 0  # nothing was written


def test_a_unique_conflict_names_the_field_never_the_value(api: Api) -> None:
    alice, bob = api.callers.tenant("alice"), api.callers.tenant("bob")
    assert api.post("/api_products", alice, json=product("SECRET-SKU")).status_code == 201
    r = api.post("/api_products", alice, json=product("SECRET-SKU"))
    assert r.status_code == 409
    body = r.json()
    assert body["type"] == "urn:storied:problem:conflict"
    assert body["fields"] == ["sku"]
    assert "SECRET-SKU" not in r.text
    # another tenant may use the same sku
    assert api.post("/api_products", bob, json=product("SECRET-SKU")).status_code == 201


def test_int_ids_and_models_without_history(api: Api) -> None:
    alice, bob = api.callers.tenant("alice"), api.callers.tenant("bob")
    r = api.post("/api_notes", alice, json={"text": "hello", "pinned": True})
    assert r.status_code == 201, r.text
    nid = r.json()["id"]
    assert isinstance(nid, int)
    assert api.get(f"/api_notes/{nid}", bob).status_code == 404
    assert api.get("/api_notes/not-an-int", alice).status_code == 404  # no such resource
    assert api.get("/api_notes", alice, params={"pinned": "true"}).json()["total"] == 1
    assert api.get(f"/api_notes/{nid}/history", alice).status_code == 404  # no such route
    assert api.patch(f"/api_notes/{nid}", alice, json={"pinned": False}).json()["pinned"] is False


def test_unauthenticated_and_unscoped_callers_are_refused(api: Api) -> None:
    r = api.request("GET", "/api_products")
    assert r.status_code == 401
    assert r.headers["content-type"] == PROBLEM
    from storied.api import Principal

    nobody = api.callers.add(f"nobody-{uuid4().hex[:6]}", Principal(actor="nobody"))
    r = api.get("/api_products", nobody)
    assert r.status_code == 403
    assert r.json()["type"] == "urn:storied:problem:tenant-scope-required"


@pytest.mark.parametrize("tenant", ["not-a-uuid", 42, 1.5, ["a"]], ids=repr)
def test_a_tenant_id_of_the_wrong_type_is_a_422_naming_the_tenant(api: Api, tenant: Any) -> None:
    """An auth dependency (or dev header) handing over a tenant the model cannot hold."""
    from storied.api import Principal

    odd = api.callers.add(f"odd-{uuid4().hex[:6]}", Principal(actor="odd", tenant_id=tenant))
    several = api.callers.add(
        f"several-{uuid4().hex[:6]}", Principal(actor="odd", tenant_ids=(uuid4(), tenant))
    )
    for caller, name in ((odd, "tenant_id"), (several, "tenant_ids")):
        for method, url, body in (
            ("GET", "/api_products", None),
            ("GET", f"/api_products/{uuid4()}", None),
            ("POST", "/api_products", product()),
            ("GET", "/api_products/changes", None),
            ("GET", "/api_notes/1", None),
        ):
            r = api.request(method, url, caller, json=body)
            assert r.status_code == 422, (method, url, r.text)
            assert r.headers["content-type"] == PROBLEM
            problem = r.json()
            assert problem["type"] == "urn:storied:problem:validation-error"
            assert problem["errors"][0]["loc"] == [name]
            assert "tenant id" in problem["detail"]
            assert "not-a-uuid" not in r.text  # the value is never echoed


def test_a_multi_tenant_caller_reads_both_and_writes_where_it_says(api: Api) -> None:
    from storied.api import Principal

    a, b = uuid4(), uuid4()
    alice, bob = api.callers.tenant("alice", a), api.callers.tenant("bob", b)
    both = api.callers.add(f"both-{uuid4().hex[:6]}", Principal(actor="ops", tenant_ids=(a, b)))
    api.post("/api_products", alice, json=product("PA"))
    api.post("/api_products", bob, json=product("PB"))
    page = api.get("/api_products", both, params={"sort": "sku"}).json()
    assert [i["sku"] for i in page["items"]] == ["PA", "PB"]
    assert api.post("/api_products", both, json=product("PC")).status_code == 403
    r = api.post("/api_products", both, json=product("PC", tenant_id=str(b)))
    assert r.status_code == 201
    assert r.json()["created_by"] == "ops"
    assert api.get("/api_products", bob).json()["total"] == 2
