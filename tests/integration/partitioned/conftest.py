"""The temporal tests again, on PostgreSQL with partitioned history tables.

Each module here imports the tests of one temporal module; the fixtures below replace
``backend`` (PostgreSQL only), ``store`` and ``db`` with databases made with
``history_partitions="month"``, in scratch databases of their own (a table name means one
shape per database). So the invariants (history, audit, as_of, compare, revert, restore,
one current version enforced by the database) are checked on partitioned tables too.
"""

from __future__ import annotations

from typing import Any

from tests.integration.option_stores import fixtures

#: the Database options of every database here
OPTIONS: dict[str, Any] = {"history_partitions": "month"}

globals().update(fixtures(OPTIONS, adb=False))
