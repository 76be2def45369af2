"""Settings persist in an INI file, survive hand edits, and say when they change."""

from __future__ import annotations

import logging
from datetime import time
from pathlib import Path

import pytest

from routine_timer.settings import (
    DEFAULT_COUNTDOWN,
    DEFAULT_VOLUME,
    REMIND_OFF,
    REMIND_OWN,
    REMIND_PLAN,
    Settings,
)


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    return tmp_path / "data" / "settings.ini"


def write_ini(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[cues]\n" + body, encoding="utf-8")


def test_defaults_when_there_is_no_file(ini: Path) -> None:
    settings = Settings(ini)
    assert (settings.voice, settings.sounds, settings.muted) == (True, True, False)
    assert settings.volume == DEFAULT_VOLUME
    assert settings.countdown == DEFAULT_COUNTDOWN == 3
    assert not ini.exists()  # reading writes nothing


def test_changes_persist_for_the_next_settings_on_the_same_file(ini: Path) -> None:
    first = Settings(ini)
    first.voice = False
    first.sounds = False
    first.volume = 0.35
    first.countdown = 5
    assert ini.is_file()

    second = Settings(ini)
    assert (second.voice, second.sounds, second.volume, second.countdown) == (False, False, 0.35, 5)


def test_mute_is_not_saved(ini: Path) -> None:
    first = Settings(ini)
    first.muted = True
    first.toggle_muted()
    first.toggle_muted()
    assert first.muted
    second = Settings(ini)
    assert second.muted is False
    assert not ini.exists()


def test_listeners_hear_which_setting_changed_and_nothing_when_none_did(ini: Path) -> None:
    settings = Settings(ini)
    seen: list[tuple[str, object]] = []
    stop = settings.subscribe(lambda key: seen.append((key, getattr(settings, key))))
    settings.volume = 0.5
    settings.volume = 0.5
    settings.countdown = DEFAULT_COUNTDOWN
    settings.muted = True
    settings.voice = False
    assert seen == [("volume", 0.5), ("muted", True), ("voice", False)]
    stop()
    stop()  # stopping twice is harmless
    settings.sounds = False
    assert len(seen) == 3


def test_a_failing_listener_is_reported_and_the_others_still_hear(
    ini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(ini)
    reported: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda _type, error, _tb: reported.append(error))

    def broken(_key: str) -> None:
        raise RuntimeError("a listener broke")

    heard: list[str] = []
    settings.subscribe(broken)
    settings.subscribe(heard.append)
    settings.volume = 0.5
    assert heard == ["volume"]
    assert [str(error) for error in reported] == ["a listener broke"]
    assert Settings(ini).volume == 0.5


def test_settings_without_a_file_are_kept_in_memory_only() -> None:
    settings = Settings(None)
    settings.volume = 0.25
    assert (settings.path, settings.volume) == (None, 0.25)


def test_setters_clamp_out_of_range_values(ini: Path) -> None:
    settings = Settings(ini)
    settings.volume = 7
    settings.countdown = 42
    assert (settings.volume, settings.countdown) == (1.0, 10)
    settings.volume = -1
    settings.countdown = -3
    assert (settings.volume, settings.countdown) == (0.0, 0)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Garbage falls back to the default...
        (
            "voice=perhaps\nsounds=loud\nvolume=very\ncountdown=three\n",
            (True, True, DEFAULT_VOLUME, DEFAULT_COUNTDOWN),
        ),
        ("volume=nan\ncountdown=\n", (True, True, DEFAULT_VOLUME, DEFAULT_COUNTDOWN)),
        # ...numbers out of range are clamped...
        ("volume=2.5\ncountdown=99\n", (True, True, 1.0, 10)),
        ("volume=-0.5\ncountdown=-4\n", (True, True, 0.0, 0)),
        # ...and the usual spellings of yes and no are understood.
        ("voice=no\nsounds=0\nvolume=0.25\ncountdown=4.6\n", (False, False, 0.25, 5)),
        ("voice=Off\nsounds=YES\n", (False, True, DEFAULT_VOLUME, DEFAULT_COUNTDOWN)),
    ],
)
def test_hand_edited_values_are_read_leniently(
    ini: Path, body: str, expected: tuple[bool, bool, float, int]
) -> None:
    write_ini(ini, body)
    settings = Settings(ini)
    assert (settings.voice, settings.sounds, settings.volume, settings.countdown) == expected


def test_a_file_that_is_not_an_ini_file_gives_the_defaults(ini: Path) -> None:
    ini.parent.mkdir(parents=True)
    ini.write_bytes(b"\x00\xff\xfe not [an ini\n===\n")
    settings = Settings(ini)
    assert (settings.voice, settings.volume, settings.countdown) == (
        True,
        DEFAULT_VOLUME,
        DEFAULT_COUNTDOWN,
    )


def test_the_file_keeps_the_format_and_what_it_does_not_know(ini: Path) -> None:
    # As QSettings wrote it: a [cues] group of key=value lines; other keys and groups stay.
    write_ini(ini, "voice=no\nvoice_rate=fast\n\n[General]\nwindow=big\n")
    settings = Settings(ini)
    settings.volume = 1.0
    settings.countdown = 5
    settings.sounds = False
    text = ini.read_text(encoding="utf-8")
    assert "[cues]\nvoice=no\nvoice_rate=fast\nvolume=1\ncountdown=5\nsounds=false\n" in text
    assert "[General]\nwindow=big\n" in text
    assert list(ini.parent.iterdir()) == [ini]  # no temporary file left behind


def test_a_change_made_by_another_settings_on_the_file_is_kept(ini: Path) -> None:
    first, second = Settings(ini), Settings(ini)
    first.volume = 0.3
    second.countdown = 7
    reread = Settings(ini)
    assert (reread.volume, reread.countdown) == (0.3, 7)


def test_lines_that_do_not_parse_cost_only_themselves(
    ini: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_ini(ini, "voice=false\nthis is no setting\ncountdown=6\n")
    with caplog.at_level(logging.WARNING, "routine_timer.settings"):
        settings = Settings(ini)
    assert (settings.voice, settings.countdown) == (False, 6)
    assert "were not understood" in caplog.text


def test_a_setting_that_cannot_be_saved_holds_for_now_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    settings = Settings(blocker / "settings.ini")
    with caplog.at_level(logging.WARNING, "routine_timer.settings"):
        settings.volume = 0.4
    assert settings.volume == 0.4
    assert "cannot save volume" in caplog.text


def test_the_chosen_plan_and_its_day_persist(ini: Path) -> None:
    from datetime import date

    settings = Settings(ini)
    assert (settings.plan, settings.plan_chosen) == (None, None)
    heard: list[str] = []
    settings.subscribe(heard.append)
    settings.choose_plan("runners-back-care", date(2026, 3, 2))
    settings.choose_plan("runners-back-care", date(2026, 3, 9))  # the same: nothing changes
    assert heard == ["plan"]
    again = Settings(ini)
    assert (again.plan, again.plan_chosen) == ("runners-back-care", date(2026, 3, 2))
    assert again.volume == DEFAULT_VOLUME
    again.choose_plan(None, date(2026, 3, 9))
    assert (Settings(ini).plan, Settings(ini).plan_chosen) == (None, None)
    ini.write_text("[plan]\nactive = mine\nchosen = someday\n", encoding="utf-8")
    assert (Settings(ini).plan, Settings(ini).plan_chosen) == ("mine", None)


def test_flash_and_high_contrast_are_off_by_default_and_persist(ini: Path) -> None:
    first = Settings(ini)
    assert (first.flash, first.high_contrast) == (False, False)
    heard: list[str] = []
    first.subscribe(heard.append)
    first.flash = True
    first.high_contrast = True
    assert heard == ["flash", "high_contrast"]
    second = Settings(ini)
    assert (second.flash, second.high_contrast) == (True, True)
    assert "flash=true" in ini.read_text(encoding="utf-8")


def test_flash_and_high_contrast_read_leniently(ini: Path) -> None:
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text("[cues]\nflash=on\nhigh_contrast=perhaps\n", encoding="utf-8")
    settings = Settings(ini)
    assert (settings.flash, settings.high_contrast) == (True, False)


def test_reminder_settings_default_and_persist(ini: Path) -> None:
    settings = Settings(ini)
    assert settings.remind == REMIND_PLAN
    assert settings.reminder_time == time(18, 0)
    assert settings.start_at_login is False
    assert settings.reminder_log == ""
    heard: list[str] = []
    settings.subscribe(heard.append)
    settings.remind = REMIND_OWN
    settings.reminder_time = time(7, 5, 30)  # kept to the minute
    settings.start_at_login = True
    settings.reminder_log = "2026-03-02\nshown=18:30"
    settings.told_tray = True
    assert heard == ["remind", "reminder_time", "start_at_login", "reminder_log", "told_tray"]
    again = Settings(ini)
    assert again.remind == REMIND_OWN
    assert again.reminder_time == time(7, 5)
    assert again.start_at_login is True
    assert again.reminder_log == "2026-03-02 shown=18:30"
    assert again.told_tray is True
    assert "[reminders]" in ini.read_text(encoding="utf-8")


def test_an_unknown_reminder_mode_is_refused_in_code_and_ignored_in_the_file(ini: Path) -> None:
    with pytest.raises(ValueError, match="one of plan, own, off"):
        Settings(ini).remind = "sometimes"
    ini.parent.mkdir(parents=True)
    ini.write_text("[reminders]\nremind=sometimes\nat=25:61\nlogin=maybe\n", encoding="utf-8")
    settings = Settings(ini)
    assert settings.remind == REMIND_PLAN
    assert settings.reminder_time == time(18, 0)
    assert settings.start_at_login is False
    ini.write_text("[reminders]\nremind= OFF \nat=6:45\n", encoding="utf-8")
    assert Settings(ini).remind == REMIND_OFF
    assert Settings(ini).reminder_time == time(6, 45)
