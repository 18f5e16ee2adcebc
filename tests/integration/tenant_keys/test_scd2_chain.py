"""test_scd2_chain's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_scd2_chain import *  # noqa: F403
