"""``tenant_leading_keys``: PostgreSQL only (the other backends cannot generate an id inside a
composite primary key), and a given Registry carries the option itself."""

from __future__ import annotations

import pytest

from storied import AsyncDatabase, ConfigurationError, Database, Registry
from storied.mapping.keys import row_key
from tests.models import Account, Price, Setting


@pytest.mark.parametrize("url", ["sqlite://", "mysql+pymysql://root@127.0.0.1/test"])
def test_backends_without_composite_autoincrement_refuse_the_option(url: str) -> None:
    with pytest.raises(ConfigurationError, match="tenant_leading_keys needs PostgreSQL"):
        Database(url, tenant_leading_keys=True)
    with pytest.raises(ConfigurationError, match="tenant_leading_keys needs PostgreSQL"):
        Database(url, registry=Registry(tenant_leading_keys=True))
    assert not Database(url).registry.tenant_leading_keys


def test_postgresql_takes_it_sync_and_async() -> None:
    assert Database(
        "postgresql://u@localhost/app", tenant_leading_keys=True
    ).registry.tenant_leading_keys
    async_db = AsyncDatabase("postgresql://u@localhost/app", tenant_leading_keys=True)
    assert async_db.registry.tenant_leading_keys


def test_a_given_registry_must_carry_the_option_itself() -> None:
    url = "postgresql://u@localhost/app"
    given = Registry(tenant_leading_keys=True)
    assert Database(url, registry=given).registry is given
    assert Database(url, registry=given, tenant_leading_keys=True).registry is given
    with pytest.raises(ConfigurationError, match=r"Registry\(tenant_leading_keys"):
        Database(url, registry=Registry(), tenant_leading_keys=True)
    with pytest.raises(ConfigurationError, match=r"Registry\(tenant_leading_keys"):
        Database(url, registry=given, tenant_leading_keys=False)


def test_each_tables_row_key_is_its_key_without_the_tenant() -> None:
    registry = Registry(tenant_leading_keys=True)
    account, price, setting = (registry.mapped(m) for m in (Account, Price, Setting))
    assert account.audit_table is not None
    assert row_key(account.table).name == "id"
    assert row_key(account.audit_table).name == "audit_id"
    assert row_key(price.table).name == "row_id"
    assert row_key(setting.table).name == "id"  # untenanted: its key alone
    assert list(setting.table.primary_key.columns.keys()) == ["id"]
