"""A revision script from ``plan.to_alembic()`` or ``storied revision``, run by Alembic's own
``command.upgrade`` on an empty database, leaves storied nothing to plan.

The models keep history (copy_on_change's audit table and scd2's versions have JSON and
storied's own column types) and have JSON fields, whose PostgreSQL variant is JSONB: the
script must import what Alembic rendered.
"""

from __future__ import annotations

import sys
import textwrap
import uuid
from pathlib import Path
from uuid import UUID

import pytest
from alembic import command
from alembic.config import Config
from typer.testing import CliRunner

from storied import Database, Model, Registry
from storied.cli.app import app

from .conftest import Versions

MODELS = """
from datetime import time
from decimal import Decimal
from uuid import UUID

from storied import Field, Model


class Account(Model, table="sch_rv_accounts", history="copy_on_change"):
    name: str = Field(max_length=40, unique=True)
    settings: dict[str, int] = {}
    logo: bytes | None = None  # LONGBLOB on MySQL: a variant from sqlalchemy.dialects.mysql
    opens: time | None = None


class Rate(Model, table="sch_rv_rates", history="scd2"):
    account_id: UUID = Field(foreign_key=Account)
    value: Decimal = Field(max_digits=8, decimal_places=3)
    tags: list[str] = []
"""

ENV = """
import sqlalchemy as sa
from alembic import context

engine = sa.create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(connection=connection, version_table="sch_rv_alembic_version")
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
"""


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[type[Model], ...]:
    """The models, written as a module the CLI can import too."""
    name = f"sch_rv_models_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{name}.py").write_text(MODELS)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = __import__(name)
    yield module.Account, module.Rate
    sys.modules.pop(name, None)


def upgrade(url: str, tmp_path: Path, script: str | None = None) -> None:
    """Alembic's ``upgrade head`` over a scripts folder (holding ``script`` if given)."""
    (tmp_path / "versions").mkdir(exist_ok=True)
    (tmp_path / "env.py").write_text(textwrap.dedent(ENV))
    if script is not None:
        (tmp_path / "versions" / "a1_storied.py").write_text(script)
    config = Config()
    config.set_main_option("script_location", str(tmp_path))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


def test_to_alembic_script_upgrades_an_empty_database(
    models: tuple[type[Model], ...], versions: Versions, db_url: str, tmp_path: Path
) -> None:
    db = versions.at(*models)
    script = db.plan().to_alembic("first", revision="a1", down_revision=None)
    assert "from sqlalchemy.dialects import mysql" in script  # every plan renders the variants
    assert "from sqlalchemy.dialects import postgresql" in script
    upgrade(db_url, tmp_path, script)
    assert versions.at(*models).plan().empty
    account_model, rate_model = models
    tenant = uuid.uuid4()
    fresh = Database(db_url, registry=Registry()).connect()
    try:
        account = fresh.repository(account_model, tenant_id=tenant).create(
            account_model(name="a", settings={"x": 1})
        )
        rate = fresh.repository(rate_model, tenant_id=tenant).create(
            rate_model(account_id=account.id, value="1.5", tags=["t"])
        )
        assert isinstance(rate.account_id, UUID)
    finally:
        fresh.close()


def test_storied_revision_script_upgrades_an_empty_database(
    models: tuple[type[Model], ...], versions: Versions, db_url: str, tmp_path: Path
) -> None:
    module = models[0].__module__
    result = CliRunner().invoke(
        app, ["revision", "-m", module, "-d", db_url, "-o", str(tmp_path / "versions")]
    )
    assert result.exit_code == 0, result.output
    upgrade(db_url, tmp_path)
    assert versions.at(*models).plan().empty
