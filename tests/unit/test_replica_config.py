"""Read replica configuration: checked in the constructor (no I/O), refused where the backend
has no replicas storied can route to. The routing itself runs on a real primary + replica
pair in ``tests/replication``."""

from __future__ import annotations

from pathlib import Path

import pytest

from storied import ConfigurationError, Database

PG = "postgresql://postgres@127.0.0.1:1/x"


def test_replicas_are_a_list_of_urls_of_the_primarys_backend() -> None:
    with pytest.raises(ConfigurationError, match="list of URLs"):
        Database(PG, replicas=PG)
    with pytest.raises(ConfigurationError, match="not a postgresql URL"):
        Database(PG, replicas=["mysql://root@127.0.0.1/x"])
    for name in ("read_your_writes", "max_replica_lag", "replica_check_interval"):
        with pytest.raises(ConfigurationError, match=name):
            Database(PG, replicas=[PG], **{name: -1})
        with pytest.raises(ConfigurationError, match=name):
            Database(PG, **{name: True})


def test_the_constructor_does_no_io_and_health_reports_the_replicas() -> None:
    db = Database(PG, replicas=["postgresql://u:secret@127.0.0.1:2/x"], read_your_writes=0.5)
    health = db.health()
    (replica,) = health.replicas
    assert not replica.healthy
    assert replica.reason == "not checked yet"
    assert replica.checked_ago is None
    assert "secret" not in replica.url
    assert health.read_your_writes == 0.5
    assert Database(PG).health().replicas == ()


def test_a_backend_without_replicas_refuses_them_at_connect(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/a.db", replicas=[f"sqlite:///{tmp_path}/b.db"])
    with pytest.raises(ConfigurationError, match="no read replicas"):
        db.connect()
    db.close()
