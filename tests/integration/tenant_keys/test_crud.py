"""test_crud's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_crud import *  # noqa: F403
