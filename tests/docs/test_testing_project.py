"""The example project under examples/testing_project passes, using only the plugin.

It runs in a subprocess with plugin autoloading off, so the fixtures it gets come from the
``storied`` entry point alone (``-p storied``), as in a user's project, on all three backends.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "examples" / "testing_project"
TESTS = 4  # in examples/testing_project/tests
BACKENDS = ("sqlite", "postgresql", "mysql")


def test_example_project_passes_with_the_plugin() -> None:
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [
        sys.executable, "-m", "pytest", str(PROJECT), "-p", "storied",
        "--storied-backend", ",".join(BACKENDS), "-q", "-p", "no:cacheprovider",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    output = done.stdout + done.stderr
    if "server unreachable" in output and os.environ.get("CI") != "true":
        pytest.skip("a database server is unreachable: " + output.splitlines()[-1])
    assert done.returncode == 0, output
    assert re.search(rf"\b{TESTS * len(BACKENDS)} passed\b", output), output
