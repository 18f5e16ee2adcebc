"""The repository tests again, on PostgreSQL with tenant-leading keys (Citus-ready).

Each module here imports the tests of one integration module; the fixtures below replace
``backend`` (PostgreSQL only), ``store`` and ``db`` with databases made with
``tenant_leading_keys=True`` (every tenant-scoped key led by ``tenant_id``), in scratch
databases of their own (a table name means one shape per database). So CRUD, restore,
queries, relationships, history, audit, as_of, bulk writes and the scd2 chain rules (enforced
by the database) are checked on the new keys too.
"""

from __future__ import annotations

from typing import Any

from tests.integration.option_stores import fixtures

#: the Database options of every database here
OPTIONS: dict[str, Any] = {"tenant_leading_keys": True}

globals().update(fixtures(OPTIONS))
