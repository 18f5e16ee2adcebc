"""test_query_filters's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_query_filters import *  # noqa: F403
