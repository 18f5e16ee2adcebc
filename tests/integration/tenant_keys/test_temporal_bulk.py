"""test_temporal_bulk's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_temporal_bulk import *  # noqa: F403
