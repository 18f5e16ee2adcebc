"""test_scd2_versions's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_scd2_versions import *  # noqa: F403
