"""test_scd2_feed's tests on partitioned history tables (see conftest.py)."""

from tests.integration.test_scd2_feed import *  # noqa: F403
