"""The ``storied`` command's own texts: ``--version`` and help that shows envs and defaults."""

from __future__ import annotations

import subprocess
import sys

import pytest

import storied


def storied_command(*args: str) -> subprocess.CompletedProcess[str]:
    """The console script as a user runs it (a subprocess, stdout not a terminal)."""
    code = "from storied.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def test_version_prints_the_package_version() -> None:
    done = storied_command("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"storied {storied.__version__}"


@pytest.mark.parametrize("command", ["plan", "apply", "revision"])
def test_help_names_the_environment_variable_and_the_default(command: str) -> None:
    done = storied_command(command, "--help")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # help wraps to the terminal width
    assert "env var: STORIED_DATABASE_URL" in text
    assert "default: sqlite:///storied.db" in text
    assert "env var: STORIED_MODELS" in text


def test_serve_help_shows_its_options_and_their_defaults() -> None:
    done = storied_command("serve", "--help")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    for shown in (
        "env var: STORIED_DATABASE_URL",
        "default: 127.0.0.1",
        "default: 8000",
        "--auth",
        "--dev-auth",
        "development only",
    ):
        assert shown in text, shown
