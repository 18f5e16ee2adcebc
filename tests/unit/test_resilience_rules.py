"""The circuit breaker's state machine and the resilience settings' checks, without I/O."""

from __future__ import annotations

import pytest

from storied import CircuitBreaker, CircuitOpenError, ConfigurationError, Database, Retries
from storied.engine.resilience import Breaker, Connector


def test_it_opens_after_n_consecutive_failures_and_a_success_resets_the_count() -> None:
    breaker = Breaker(CircuitBreaker(failures=3, cool_down=3600))
    breaker.failed()
    breaker.failed()
    breaker.succeeded()  # not consecutive any more
    breaker.failed()
    breaker.failed()
    assert breaker.status().state == "closed"
    breaker.failed()
    status = breaker.status()
    assert (status.state, status.failures, status.opened) == ("open", 3, 1)
    assert status.probe_in is not None
    assert status.probe_in > 0
    with pytest.raises(CircuitOpenError, match="failing fast"):
        breaker.admit()


def test_one_probe_after_the_cool_down_and_its_outcome_decides() -> None:
    breaker = Breaker(CircuitBreaker(failures=1, cool_down=0))
    breaker.failed()
    breaker.admit()  # the probe
    assert breaker.status().state == "half_open"
    with pytest.raises(CircuitOpenError, match="a probe is running"):
        breaker.admit()  # only one at a time
    breaker.failed()
    assert (breaker.status().state, breaker.status().opened) == ("open", 2)
    breaker.admit()
    breaker.abandoned()  # a probe that neither failed to connect nor succeeded
    assert breaker.status().state == "open"
    breaker.admit()
    breaker.succeeded()
    assert (breaker.status().state, breaker.status().failures) == ("closed", 0)


def test_only_transient_failures_count_and_are_retried() -> None:
    calls: list[int] = []
    breaker = Breaker(CircuitBreaker(failures=1, cool_down=3600))
    connector = Connector(
        Retries(attempts=3, initial=0, maximum=0, jitter=0),
        breaker,
        lambda exc: isinstance(exc, ConnectionRefusedError),
    )

    def bug() -> None:
        calls.append(1)
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        connector.open(bug)
    assert len(calls) == 1  # a bug is not retried
    assert breaker.status().state == "closed"  # nor counted

    def refused() -> None:
        calls.append(1)
        raise ConnectionRefusedError

    with pytest.raises(CircuitOpenError):
        connector.open(refused)  # the first failure opens it; the retry then fails fast
    assert len(calls) == 2


@pytest.mark.parametrize(
    "make",
    [
        lambda: Retries(attempts=0),
        lambda: Retries(attempts=True),
        lambda: Retries(initial=-1),
        lambda: CircuitBreaker(failures=0),
        lambda: CircuitBreaker(cool_down="1"),  # type: ignore[arg-type]
        lambda: Database("sqlite://", retries=3),  # type: ignore[arg-type]
        lambda: Database("sqlite://", circuit_breaker=Retries()),  # type: ignore[arg-type]
    ],
)
def test_bad_settings_are_configuration_errors(make: object) -> None:
    with pytest.raises(ConfigurationError):
        make()  # type: ignore[operator]
