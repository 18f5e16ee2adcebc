"""test_soft_delete's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_soft_delete import *  # noqa: F403
