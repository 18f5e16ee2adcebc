"""test_scd2_chain's tests on partitioned history tables (see conftest.py)."""

from tests.integration.test_scd2_chain import *  # noqa: F403
