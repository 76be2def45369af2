"""Running a session driver on the fake clock, deadline by deadline, as its timer would."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routine_timer.ui.session.driver import SessionDriver
    from tests.helpers.clocks import FakeClock


def run_driver(driver: SessionDriver, clock: FakeClock, until: float | None = None) -> None:
    """Move ``clock`` to each of ``driver``'s deadlines in turn and fire it, up to ``until``
    (a clock reading; the clock ends there), or to the end of the session when None."""
    while (deadline := driver.session.next_deadline()) is not None and (
        until is None or deadline <= until
    ):
        clock.now = max(clock.now, deadline)
        driver.fire_due()
    if until is not None:
        clock.now = max(clock.now, until)
        driver.fire_due()
