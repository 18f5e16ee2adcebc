"""test_history_edges's tests on partitioned history tables (see conftest.py)."""

from tests.integration.test_history_edges import *  # noqa: F403
