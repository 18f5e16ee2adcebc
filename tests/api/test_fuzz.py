"""schemathesis against the bootstrapped app (history models included), on every backend:
no server error and no response outside the OpenAPI document, stateless and stateful.

``schemathesis.openapi.from_asgi`` loads the document at import, which runs the app's
lifespan (it connects the database): so this module makes its scratch databases and tables
while it is collected, and drops them when its tests are done.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
import sqlalchemy as sa
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from storied import AsyncDatabase, Database
from storied.api import Principal, bootstrap
from tests.api.app import MODELS
from tests.api.conftest import async_of
from tests.conftest import SERVERS

EXAMPLES = 3
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
)
#: Three waivers, each a fact no schema can state: a well-formed If-Match may name a version
#: that is not current (412); a list's ``cursor`` is an opaque token, so a made-up one is 422;
#: an uploaded import or backup file is refused (422) unless it is one storied wrote.
CONFIG = schemathesis.config.SchemathesisConfig.from_str(
    """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "412"]

[[operations]]
include-operation-id-regex = "[.](list|changes)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

[[operations]]
include-operation-id-regex = "^db[.](import|restore)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "422"]
"""
)
STATEFUL = settings(
    max_examples=3,
    stateful_step_count=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
NAME = f"storied_fuzz{os.getpid()}_{uuid.uuid4().hex[:6]}"
TMP = tempfile.mkdtemp(prefix="storied-fuzz-")
UNREACHABLE: dict[str, str] = {}


def scratch(backend: str) -> str | None:
    """A scratch database with the models' tables; None when the server is unreachable."""
    if backend == "sqlite":
        url = f"sqlite:///{TMP}/fuzz.db"
    else:
        admin = sa.make_url(SERVERS[backend])
        try:
            engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {NAME}")
            engine.dispose()
        except sa.exc.OperationalError as exc:
            UNREACHABLE[backend] = str(exc).splitlines()[0]
            return None
        url = admin.set(database=NAME).render_as_string(hide_password=False)
    with Database(url) as db:
        db.create_all(MODELS)
    return url


def fuzz_app(url: str) -> FastAPI:
    tenant = uuid.uuid4()

    def auth() -> Principal:
        return Principal(actor="fuzzer", tenant_id=tenant, admin=True)

    return bootstrap(
        FastAPI(title="fuzzed"), AsyncDatabase(url), models=MODELS, auth=auth, db_router=True
    )


def drop(backend: str) -> None:
    if backend == "sqlite":
        shutil.rmtree(TMP, ignore_errors=True)
        return
    engine = sa.create_engine(sa.make_url(SERVERS[backend]), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        force = " WITH (FORCE)" if backend == "postgresql" else ""
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {NAME}{force}")
    engine.dispose()


URLS = {b: scratch(b) for b in ("sqlite", "postgresql", "mysql")}


@pytest.fixture(scope="module", autouse=True)
def _drop_scratch() -> Iterator[None]:
    yield
    for backend, url in URLS.items():
        if url is not None:
            drop(backend)


def skip_or_fail(backend: str) -> None:
    message = f"{backend} server unreachable: {UNREACHABLE.get(backend)}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def fuzz_tests(backend: str) -> tuple[Callable[..., None], Callable[..., None]]:
    """The stateless and the stateful test of one backend."""
    url = URLS[backend]
    mark = getattr(pytest.mark, backend)
    if url is None:

        @mark
        def missing() -> None:
            skip_or_fail(backend)

        return missing, missing
    app = fuzz_app(async_of(url, backend))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)

    @mark
    @schema.parametrize()
    @SETTINGS
    def stateless(case: Any) -> None:
        case.call_and_validate()

    @mark
    def stateful() -> None:
        run_state_machine_as_test(schema.as_state_machine(), settings=STATEFUL)

    return stateless, stateful


test_sqlite_operations_conform, test_sqlite_sequences_conform = fuzz_tests("sqlite")
test_postgresql_operations_conform, test_postgresql_sequences_conform = fuzz_tests("postgresql")
test_mysql_operations_conform, test_mysql_sequences_conform = fuzz_tests("mysql")
