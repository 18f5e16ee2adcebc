"""test_temporal_bulk's tests on partitioned history tables (see conftest.py)."""

from tests.integration.test_temporal_bulk import *  # noqa: F403
