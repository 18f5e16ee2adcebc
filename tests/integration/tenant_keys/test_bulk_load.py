"""test_bulk_load's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_bulk_load import *  # noqa: F403
