"""test_scd2_versions's tests on partitioned history tables (see conftest.py)."""

from tests.integration.test_scd2_versions import *  # noqa: F403
