"""test_temporal_tenancy's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_temporal_tenancy import *  # noqa: F403
