"""test_temporal_tenancy's tests on partitioned history tables (see conftest.py)."""

from tests.integration.test_temporal_tenancy import *  # noqa: F403
