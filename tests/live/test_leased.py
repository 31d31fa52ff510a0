"""``Leased``: of several runners of one companion, exactly one runs it; the others take
over when it stops or loses its lease, and a companion that fails to start gives it up."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from ptghub.live.leased import Leased
from ptghub.store.engine import writing
from ptghub.store.leases import Leases
from ptghub.store.store import Store
from ptghub.store.tables import leases as leases_table

TTL, RETRY = 2.0, 0.1


class Running:
    """A companion that records whether it runs (what the lease decides)."""

    def __init__(self, log: list[str], name: str, fail: bool = False) -> None:
        self.log, self.name, self.fail = log, name, fail

    def start(self) -> None:
        if self.fail:
            raise RuntimeError("cannot connect")
        self.log.append(f"start {self.name}")

    def stop(self) -> None:
        self.log.append(f"stop {self.name}")


def _wait(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.02)


def _started(*runners: Leased) -> tuple[Leased, ...]:
    for runner in runners:
        runner.start()
    return runners


@pytest.fixture
def runners(empty_store: Store) -> Iterator[Callable[..., Leased]]:
    made: list[Leased] = []

    def make(name: str, log: list[str], fail: bool = False) -> Leased:
        runner = Leased(
            Leases(empty_store.engine),
            "mail",
            "Mail sender",
            lambda: Running(log, name, fail),
            ttl=TTL,
            retry=RETRY,
            holder=f"host:{name}:0",
        )
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.stop()


def test_of_two_runners_one_runs_the_companion_and_the_other_waits(
    runners: Callable[..., Leased],
) -> None:
    log: list[str] = []
    first, second = _started(runners("a", log), runners("b", log))
    assert (first.active, second.active) == (True, False)
    time.sleep(TTL)  # renewals keep it where it is, past the lease's first expiry
    assert (first.active, second.active, log) == (True, False, ["start a"])


def test_when_the_holder_stops_the_standby_takes_over(
    runners: Callable[..., Leased],
) -> None:
    log: list[str] = []
    first, second = _started(runners("a", log), runners("b", log))
    first.stop()
    _wait(lambda: second.active, "the standby runs the companion")
    assert log == ["start a", "stop a", "start b"]


def test_a_holder_that_finds_its_lease_taken_stops_its_companion_at_once(
    runners: Callable[..., Leased], empty_store: Store
) -> None:
    log: list[str] = []
    first = runners("a", log)
    first.start()
    # What another process does after this one paused past its lease's expiry.
    leases = Leases(empty_store.engine)
    assert leases.release("mail", first.holder)
    assert leases.acquire("mail", "elsewhere:9:0", ttl=60).held
    _wait(lambda: not first.active, "the companion stopped")
    assert log == ["start a", "stop a"]


def test_a_companion_that_fails_to_start_gives_the_lease_up_to_another(
    runners: Callable[..., Leased],
) -> None:
    log: list[str] = []
    broken, sound = runners("a", log, fail=True), runners("b", log)
    broken.start()
    assert not broken.active
    sound.start()
    _wait(lambda: sound.active, "the other runner runs the companion")
    assert (broken.active, log) == (False, ["start b"])


def test_stopping_a_standby_leaves_the_holders_lease_alone(
    runners: Callable[..., Leased], empty_store: Store
) -> None:
    log: list[str] = []
    first, second = _started(runners("a", log), runners("b", log))
    second.stop()
    assert first.active
    assert Leases(empty_store.engine).holders()["mail"][0] == first.holder
    assert log == ["start a"]


def test_a_holder_whose_renewals_hang_stops_its_companion_before_its_lease_could_expire(
    runners: Callable[..., Leased], empty_store: Store
) -> None:
    log: list[str] = []
    (first,) = _started(runners("a", log))
    with writing(empty_store.engine) as conn:  # on SQLite the write lock: renewals wait
        # On PostgreSQL the lease's row lock: the renewal's upsert waits for it.
        conn.execute(select(leases_table).with_for_update())
        _wait(lambda: not first.active, "the companion stopped while the renewal hangs")
        assert log == ["start a", "stop a"]
    _wait(lambda: first.active, "the companion runs again once the lease is renewed")
    assert log == ["start a", "stop a", "start a"]
