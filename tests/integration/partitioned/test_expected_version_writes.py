"""test_expected_version_writes's tests on partitioned history tables (see conftest.py)."""

from tests.integration.test_expected_version_writes import *  # noqa: F403
