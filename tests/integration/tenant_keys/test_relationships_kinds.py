"""test_relationships_kinds's tests with tenant-leading keys (see conftest.py)."""

from tests.integration.test_relationships_kinds import *  # noqa: F403
