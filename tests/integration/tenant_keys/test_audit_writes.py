"""test_audit_writes's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_audit_writes import *  # noqa: F403
