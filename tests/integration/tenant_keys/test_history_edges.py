"""test_history_edges's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_history_edges import *  # noqa: F403
