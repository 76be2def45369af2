"""The session and routine table models: columns, newest first, sorting by the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt

from routine_timer.storage.history import HistoryStore
from routine_timer.ui.history.model import (
    SESSION_ROLE,
    SORT_ROLE,
    RoutineColumn,
    RoutineTableModel,
    SessionColumn,
    SessionTableModel,
)
from tests.ui.history.history_data import Planned, reopen, utc_local_time, write

__all__ = ["utc_local_time"]
T0 = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)  # a Monday


@pytest.fixture
def store(tmp_path: Path, utc_local_time: None) -> Iterator[HistoryStore]:
    opened = HistoryStore(tmp_path / "history.sqlite3")
    write(opened, Planned(T0, pain_before=2, pain_after=1, rpe=4))
    write(
        opened,
        Planned(
            T0 + timedelta(days=1),
            "core",
            "Core",
            "stopped",
            done=2,
            pain_before=3,
            pain_after=6,
            rpe=8,
            note="twinge",
        ),
    )
    write(
        opened,
        Planned(
            T0 + timedelta(days=2, hours=1),
            "hips",
            "Hip mobility",
            "abandoned",
            done=1,
            pain_before=5,
        ),
    )
    opened = reopen(opened)
    yield opened
    opened.close()


def texts(model: SessionTableModel, column: SessionColumn) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_columns_and_rows_newest_first(store: HistoryStore) -> None:
    model = SessionTableModel(store)
    assert model.rowCount() == 3
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in SessionColumn]
    assert headers == ["Date", "Routine", "Result", "Time", "Pain before", "Pain after", "Effort"]
    assert texts(model, SessionColumn.DATE) == [
        "Wed 4 Mar 2026, 08:30",
        "Tue 3 Mar 2026, 07:30",
        "Mon 2 Mar 2026, 07:30",
    ]
    assert texts(model, SessionColumn.RESULT) == ["Abandoned", "Stopped", "Completed"]
    assert texts(model, SessionColumn.TIME) == ["1:15", "2:30", "5:00"]
    assert texts(model, SessionColumn.PAIN_BEFORE) == ["5", "3", "2"]
    assert texts(model, SessionColumn.PAIN_AFTER) == ["", "6", "1"]
    assert texts(model, SessionColumn.EFFORT) == ["", "8", "4"]
    assert model.index(1, 0).data(SESSION_ROLE).note == "twinge"
    assert "Note: twinge" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_a_rise_in_pain_is_shown_in_bold(store: HistoryStore) -> None:
    model = SessionTableModel(store)
    assert model.index(1, SessionColumn.PAIN_AFTER).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(2, SessionColumn.PAIN_AFTER).data(Qt.ItemDataRole.FontRole) is None


@pytest.mark.parametrize(
    ("column", "order", "expected"),
    [
        (SessionColumn.ROUTINE, Qt.SortOrder.AscendingOrder, ["Back care", "Core", "Hip mobility"]),
        (SessionColumn.TIME, Qt.SortOrder.DescendingOrder, ["Back care", "Core", "Hip mobility"]),
        (
            SessionColumn.PAIN_AFTER,
            Qt.SortOrder.DescendingOrder,
            ["Core", "Back care", "Hip mobility"],
        ),
        (SessionColumn.DATE, Qt.SortOrder.AscendingOrder, ["Back care", "Core", "Hip mobility"]),
    ],
)
def test_sorting_asks_the_store(
    store: HistoryStore, column: SessionColumn, order: Qt.SortOrder, expected: list[str]
) -> None:
    model = SessionTableModel(store)
    model.sort(column, order)
    assert texts(model, SessionColumn.ROUTINE) == expected
    assert model.sort_key() == (column, order)


def test_refresh_shows_new_sessions_in_the_same_order(store: HistoryStore) -> None:
    model = SessionTableModel(store)
    model.sort(SessionColumn.ROUTINE, Qt.SortOrder.DescendingOrder)
    write(store, Planned(T0 + timedelta(days=5), "abs", "Abs"))
    assert model.rowCount() == 3  # a snapshot until refreshed
    model.refresh()
    assert texts(model, SessionColumn.ROUTINE) == ["Hip mobility", "Core", "Back care", "Abs"]


def test_no_store_means_no_rows() -> None:
    model = SessionTableModel(None)
    assert model.rowCount() == 0
    with pytest.raises(IndexError):
        model.session_at(0)


def test_rows_are_read_a_page_at_a_time(tmp_path: Path, utc_local_time: None) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        session = write(store, Planned(T0, exercises=1))
        for day in range(1, 450):  # 450 sessions: three pages
            store.start_session("x", "X", "", 60.0, started_at=T0 + timedelta(hours=day))
        store.finish_session(session, "completed", 75.0, 0.0)
        model = SessionTableModel(store)
        table = model._table
        assert table is not None
        assert model.rowCount() == 450 and table._pages == {}
        model.index(0, 1).data()
        model.index(5, 1).data()
        assert list(table._pages) == [0]  # one page read for the first screenful
        assert model.index(449, 1).data() == "Back care"
        assert sorted(table._pages) == [0, 2]


def test_routine_table_sorts_through_a_proxy(store: HistoryStore) -> None:
    model = RoutineTableModel(store.routine_summaries())
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    assert model.rowCount() == 3
    row = {model.index(r, 0).data(): r for r in range(3)}
    back = row["Back care"]
    assert model.index(back, RoutineColumn.TIMES_DONE).data() == "1"
    assert model.index(back, RoutineColumn.COMPLETION).data() == "100%"
    assert model.index(row["Core"], RoutineColumn.COMPLETION).data() == "50%"
    assert model.index(row["Core"], RoutineColumn.TIMES_DONE).data() == "0"
    assert model.index(back, RoutineColumn.LAST_DONE).data() == "Mon 2 Mar 2026, 07:30"
    proxy.sort(RoutineColumn.COMPLETION, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["Back care", "Core", "Hip mobility"]
    proxy.sort(RoutineColumn.LAST_DONE, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["Hip mobility", "Core", "Back care"]


def test_a_completed_session_with_sets_skipped_says_how_many_were_done(
    tmp_path: Path,
) -> None:
    with HistoryStore(tmp_path / "skipped.sqlite3") as history:
        number = history.start_session("core", "Core", "", 60.0, planned_steps=4)
        for index in range(4):
            history.record_step(
                number, index=index, kind="work", exercise="Plank", set=index + 1, side=None,
                planned_seconds=15.0, actual_seconds=15.0, skipped=index >= 1,
            )  # fmt: skip
        history.finish_session(number, "completed", 15.0, 0.0)
        model = SessionTableModel(history)
        assert texts(model, SessionColumn.RESULT) == ["Completed, 1 of 4 sets"]
