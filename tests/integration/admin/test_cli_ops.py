"""``storied erd|backup|restore|health`` run as subprocesses: exit codes, output, no progress
noise when the output is not a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storied import Database
from tests.integration.admin.conftest import MODELS, populate, rows_of
from tests.unit.test_erd import assert_parses

STORIED = str(Path(sys.executable).parent / "storied")
MODULE = """
import sys
sys.path.insert(0, {root!r})
from tests.models import Account, Price, Setting
MODELS = [Account, Price, Setting]
"""


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    root = str(Path(__file__).resolve().parents[3])
    (tmp_path / "app_models.py").write_text(MODULE.format(root=root))
    return tmp_path


def run(workdir: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "STORIED_DATABASE_URL"}
    if url is not None:
        env["STORIED_DATABASE_URL"] = url
    return subprocess.run(
        [STORIED, *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=120
    )


def test_erd_prints_parseable_mermaid_and_svg(workdir: Path) -> None:
    done = run(workdir, "erd", "--models", "app_models:MODELS")
    assert done.returncode == 0, done.stderr
    assert_parses(done.stdout)
    assert "accounts_audit {" in done.stdout
    done = run(workdir, "erd", "-m", "app_models:MODELS", "--no-history", "--format", "dot")
    assert done.returncode == 0
    assert "accounts_audit" not in done.stdout
    done = run(workdir, "erd", "-m", "app_models:MODELS", "-f", "svg", "-o", "d.svg")
    assert done.returncode == 0, done.stderr
    assert (workdir / "d.svg").read_bytes().startswith(b"<?xml")
    done = run(workdir, "erd", "-m", "app_models:NOPE")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1  # one line
    assert "has no attribute 'NOPE'" in done.stderr


def test_backup_restore_health_from_the_shell(
    workdir: Path, db_url: str, backend: str, new_db_name: str
) -> None:
    with Database(db_url) as db:
        db.drop_all(MODELS)
        populate(db)
        expected = rows_of(db)
    try:
        done = run(workdir, "health", "-m", "app_models:MODELS", url=db_url)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith("healthy")
        done = run(workdir, "health", "-m", "app_models:MODELS", "--json", url=db_url)
        assert json.loads(done.stdout)["status"] == "healthy"
        done = run(
            workdir,
            "backup",
            "b.zip",
            "--portable",
            "-m",
            "app_models:MODELS",
            "--database-url",
            db_url,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""  # no progress bar when not on a terminal
        assert "\x1b[" not in done.stdout
        assert "portable" in done.stdout
        done = run(workdir, "export", "e.zip", "-m", "app_models:MODELS", url=db_url)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert "tables" in done.stdout
        done = run(workdir, "import", "e.zip", "--dry-run", "-m", "app_models:MODELS", url=db_url)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Dry run: " in done.stdout
        done = run(workdir, "restore", "b.zip", "--dry-run", "-m", "app_models:MODELS", url=db_url)
        assert done.returncode == 0, done.stderr
        assert "Dry run" in done.stdout
        (workdir / "bad.zip").write_bytes(b"PK\x03\x04 not really")
        done = run(workdir, "restore", "bad.zip", "-m", "app_models:MODELS", url=db_url)
        assert done.returncode == 1
        assert done.stderr.startswith("error: ")
        assert done.stderr.count("\n") == 1
        into = [] if backend == "sqlite" else ["--into", new_db_name]
        done = run(workdir, "restore", "b.zip", *into, "-m", "app_models:MODELS", url=db_url)
        assert done.returncode == 0, done.stderr
        target = db_url if backend == "sqlite" else db_url.rsplit("/", 1)[0] + "/" + new_db_name
        with Database(target) as restored:
            assert rows_of(restored) == expected
    finally:
        with Database(db_url) as db:
            db.drop_all(MODELS)


def test_health_exit_codes(workdir: Path, db_url: str) -> None:
    with Database(db_url) as db:
        db.drop_all(MODELS)  # the models' tables are missing: schema drift
    done = run(workdir, "health", "-m", "app_models:MODELS", url=db_url)
    assert done.returncode == 1, done.stdout
    assert "degraded" in done.stdout
    done = run(
        workdir,
        "health",
        "-m",
        "app_models:MODELS",
        url="postgresql+psycopg://postgres@127.0.0.1:1/none",
    )
    assert done.returncode == 2
    assert done.stdout.startswith("unhealthy")
