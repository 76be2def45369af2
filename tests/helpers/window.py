"""The window harness: the main window on a fake clock, its sessions driven by the test."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pytestqt.qtbot import QtBot

from routine_timer.core.plan import StepKind
from routine_timer.paths import AppPaths
from routine_timer.settings import Settings
from routine_timer.storage.history import HistoryStore
from routine_timer.storage.records import SessionRecord, StepRecord
from routine_timer.ui.main_window import MainWindow
from routine_timer.ui.session.view import FinishView, SessionView
from tests.helpers.clocks import FakeClock
from tests.helpers.routines import write_file


class WindowHarness:
    """A main window on a fake clock, over bundled routines given as YAML text.

    ``routines`` maps file stems to the text of each bundled routine. Only the
    test moves time: :meth:`start` unplugs the driver's own timer, and
    :meth:`run_until` plays its part, moving the clock to each deadline and
    firing it. A session still running when the test ends is stopped before
    the window closes, so closing never asks a question.
    """

    def __init__(
        self, qtbot: QtBot, paths: AppPaths, tmp_path: Path, routines: Mapping[str, str]
    ) -> None:
        bundled = tmp_path / "bundled"
        bundled.mkdir(parents=True, exist_ok=True)
        for stem, text in routines.items():
            write_file(bundled / f"{stem}.yaml", text)
        self.clock = FakeClock()
        self.paths = paths
        self.window = MainWindow(
            paths, Settings(tmp_path / "settings.ini"), clock=self.clock, bundled_dir=bundled
        )
        qtbot.addWidget(self.window, before_close_func=self._stop)
        self.qtbot = qtbot

    def _stop(self, _window: object = None) -> None:
        if self.window.driver is not None:
            self.window.driver.stop()

    def start(self, routine_id: str) -> SessionView:
        """Pick the routine in the library and press Start; the test's clock drives it."""
        library = self.window.library
        assert library.select_id(routine_id)
        library.start_button.click()
        driver = self.window.driver
        assert driver is not None and self.window.session_view is not None
        # Only the test moves time: the real timer must never fire the driver.
        driver.timer.timeout.disconnect(driver.fire_due)
        return self.window.session_view

    def run_until(self, kind: StepKind | None = None, *, skip_first: int = 0) -> None:
        """Fire deadlines until a step of ``kind`` starts (``skip_first`` such steps on).

        With ``kind`` None, to the end of the session.
        """
        driver = self.window.driver
        assert driver is not None
        seen = 0
        while (deadline := driver.session.next_deadline()) is not None:
            self.clock.now = max(self.clock.now, deadline)
            driver.fire_due()
            state = driver.state()
            entered = state.step is not None and state.elapsed_in_step == 0
            if kind is not None and entered and state.step.kind is kind:  # type: ignore[union-attr]
                seen += 1
                if seen > skip_first:
                    return

    def run_to_end(self) -> None:
        """Fire every deadline left, to the end of the session."""
        self.run_until(None)

    def finish(self) -> FinishView:
        """Run the session to its end; the finish screen it leads to."""
        self.run_to_end()
        view = self.window.finish_view
        assert view is not None
        return view

    def show(self) -> None:
        """Show the window and wait until it is active, as a person would see it."""
        with self.qtbot.waitActive(self.window):
            self.window.show()
            self.window.activateWindow()

    def store(self) -> HistoryStore:
        """The window's own history store."""
        store = self.window.history_store()
        assert store is not None
        return store

    def only_session(self) -> SessionRecord:
        """The one session in the window's history."""
        [session] = self.store().sessions()
        return session

    def sessions(self) -> list[tuple[SessionRecord, list[StepRecord]]]:
        """Every recorded session with its steps, read from the history file afresh."""
        with HistoryStore(self.paths.history_db) as store:
            return [(record, store.steps(record.id)) for record in store.sessions()]
