"""Field options of exact storage that are wrong in themselves are refused when declared."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from storied import Field, ModelDefinitionError


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"db_type": sa.String}, "instance"),  # the class, not an instance
        ({"db_type": "VARCHAR(10)"}, "instance"),
        ({"index_using": "gin"}, "index=True"),
        ({"index_ops": "gin_trgm_ops"}, "index=True"),
        ({"index": True, "index_using": "fulltext"}, "one of"),
        ({"index": True, "unique": True, "index_using": "gin"}, "B-tree"),
    ],
)
def test_bad_field_options_are_definition_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ModelDefinitionError, match=message):
        Field(**options)


def test_good_field_options_are_accepted() -> None:
    Field(db_type=sa.SmallInteger())
    Field(index=True, index_using="gin", index_ops="gin_trgm_ops")
