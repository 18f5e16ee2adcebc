"""test_audit_writes's tests on partitioned history tables (see conftest.py)."""

from tests.integration.test_audit_writes import *  # noqa: F403
