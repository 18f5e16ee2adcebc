"""``storied plan|apply|revision``: exit codes, refusals and where the URL comes from."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storied.cli.app import app
from storied.schema import Plan

from .conftest import Versions

V1 = """
from storied import Field, Model

class Gadget(Model, table="sch_gadgets", tenant=False):
    name: str = Field(max_length=40)
    colour: str | None = None
"""
V2 = """
from storied import Field, Model

class Gadget(Model, table="sch_gadgets", tenant=False):
    name: str = Field(max_length=40)
"""


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """Write a models module in a fresh working directory; returns a writer."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORIED_DATABASE_URL", raising=False)

    def write(source: str) -> str:
        name = f"sch_models_{uuid.uuid4().hex[:8]}"
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
        return name

    yield write
    for name in [m for m in sys.modules if m.startswith("sch_models_")]:
        del sys.modules[name]


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.output


def test_plan_then_apply_then_nothing_to_do(
    models: object, db_url: str, versions: Versions
) -> None:
    module = models(V1)  # type: ignore[operator]
    code, out = run("plan", "--models", module, "--database-url", db_url)
    assert code == 2, out
    assert "create table sch_gadgets" in out
    code, out = run("plan", "--models", module, "--database-url", db_url, "--sql")
    assert code == 2
    assert "CREATE TABLE sch_gadgets" in out
    code, out = run("apply", "--models", module, "--database-url", db_url, "--yes")
    assert code == 0, out
    assert "Applied 1 step(s)" in out
    code, out = run("plan", "--models", module, "--database-url", db_url)
    assert code == 0, out
    assert "No changes" in out


def test_plan_as_json_reads_back_and_applies(
    models: object, db_url: str, versions: Versions
) -> None:
    module = models(V1)  # type: ignore[operator]
    code, out = run("plan", "-m", module, "-d", db_url, "--json")
    assert code == 2, out
    data = json.loads(out)
    assert data["tables"] == ["sch_gadgets"]
    [step] = data["steps"]
    assert step["changes"][0]["action"] == "create table"
    assert step["sql"][0].startswith("CREATE TABLE sch_gadgets")
    assert "op.create_table(" in step["code"]
    db = versions.at(importlib.import_module(module).Gadget)
    plan = Plan.from_json(out)
    assert plan == db.plan()  # the same plan, made again, compares equal
    assert len(db.apply(plan).applied) == 1
    assert db.plan().empty
    assert json.loads(run("plan", "-m", module, "-d", db_url, "--json")[1])["steps"] == []


def test_destructive_apply_needs_the_flag(models: object, db_url: str, versions: Versions) -> None:
    assert run("apply", "-m", models(V1), "-d", db_url, "--yes")[0] == 0  # type: ignore[operator]
    module = models(V2)  # type: ignore[operator]
    code, out = run("apply", "-m", module, "-d", db_url, "--yes")
    assert code == 1
    assert "drop column sch_gadgets.colour" in out
    assert run("plan", "-m", module, "-d", db_url)[0] == 2  # nothing was dropped
    code, out = run("apply", "-m", module, "-d", db_url, "--yes", "--allow-destructive")
    assert code == 0, out
    assert run("plan", "-m", module, "-d", db_url)[0] == 0


def test_apply_asks_before_running(models: object, db_url: str, versions: Versions) -> None:
    module = models(V1)  # type: ignore[operator]
    code, out = run("apply", "-m", module, "-d", db_url, input="n\n")
    assert code == 1
    assert "Nothing applied" in out
    assert run("plan", "-m", module, "-d", db_url)[0] == 2
    code, out = run("apply", "-m", module, "-d", db_url, input="y\n")
    assert code == 0, out


def test_revision_writes_an_alembic_script(
    models: object, db_url: str, tmp_path: Path, versions: Versions
) -> None:
    module = models(V1)  # type: ignore[operator]
    code, out = run("revision", "-m", module, "-d", db_url, "-o", str(tmp_path / "versions"))
    assert code == 0, out
    (script,) = (tmp_path / "versions").glob("*.py")
    assert "def upgrade()" in script.read_text()
    assert "op.create_table('sch_gadgets'" in script.read_text()


@pytest.mark.sqlite
def test_url_from_environment_then_default_file(
    models: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = models(V1)  # type: ignore[operator]
    monkeypatch.setenv("STORIED_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    assert run("apply", "-m", module, "--yes")[0] == 0
    assert (tmp_path / "env.db").exists()
    monkeypatch.delenv("STORIED_DATABASE_URL")
    assert run("plan", "-m", module)[0] == 2  # the default: storied.db in the working dir
    assert (tmp_path / "storied.db").exists()


@pytest.mark.sqlite
def test_bad_models_module_is_a_clear_error(models: object) -> None:
    code, out = run("plan", "-m", "no_such_module_here")
    assert code == 1
    assert "cannot import models module 'no_such_module_here'" in out
    empty = models("x = 1\n")  # type: ignore[operator]
    code, out = run("plan", "-m", empty)
    assert code == 1
    assert "defines no storied models" in out
