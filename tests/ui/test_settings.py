"""Settings persist in an INI file, survive hand edits, and the dialog edits them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from routine_timer.ui.settings import (
    DEFAULT_COUNTDOWN,
    DEFAULT_VOLUME,
    Settings,
)
from routine_timer.ui.settings_dialog import SettingsDialog


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
    assert settings.voice_unavailable_reason is None
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


def test_mute_and_voice_status_are_not_saved(ini: Path) -> None:
    first = Settings(ini)
    first.muted = True
    first.voice_unavailable_reason = "No voice engine found"
    second = Settings(ini)
    assert second.muted is False
    assert second.voice_unavailable_reason is None


def test_changed_names_the_setting_and_stays_quiet_when_nothing_changes(qtbot, ini: Path) -> None:
    settings = Settings(ini)
    seen: list[tuple[str, object]] = []
    settings.changed.connect(lambda key: seen.append((key, getattr(settings, key))))
    settings.volume = 0.5
    settings.volume = 0.5
    settings.countdown = DEFAULT_COUNTDOWN
    settings.muted = True
    settings.voice = False
    settings.voice_unavailable_reason = "why"
    assert seen == [
        ("volume", 0.5),
        ("muted", True),
        ("voice", False),
        ("voice_unavailable_reason", "why"),
    ]


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


# --- the dialog -------------------------------------------------------------


def test_dialog_shows_the_current_settings(qtbot, ini: Path) -> None:
    write_ini(ini, "voice=false\nvolume=0.4\ncountdown=5\n")
    dialog = SettingsDialog(Settings(ini))
    qtbot.addWidget(dialog)
    assert not dialog.voice_box.isChecked()
    assert dialog.sounds_box.isChecked()
    assert dialog.volume_slider.value() == 40
    assert dialog.volume_label.text() == "40 %"
    assert dialog.countdown_spin.value() == 5
    assert dialog.voice_note.isHidden()


def test_dialog_saves_on_ok(qtbot, ini: Path) -> None:
    settings = Settings(ini)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.voice_box.click()
    dialog.sounds_box.click()
    dialog.volume_slider.setValue(65)
    dialog.countdown_spin.setValue(0)
    assert dialog.countdown_spin.text() == "Off"
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    assert (settings.voice, settings.sounds, settings.volume, settings.countdown) == (
        False,
        False,
        0.65,
        0,
    )
    reread = Settings(ini)
    assert (reread.voice, reread.sounds, reread.volume, reread.countdown) == (False, False, 0.65, 0)


def test_dialog_cancel_changes_nothing(qtbot, ini: Path) -> None:
    settings = Settings(ini)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.volume_slider.setValue(10)
    dialog.voice_box.click()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert (settings.voice, settings.volume) == (True, DEFAULT_VOLUME)
    assert not ini.exists()


def test_dialog_restores_defaults_but_saves_them_only_on_ok(qtbot, ini: Path) -> None:
    write_ini(ini, "voice=false\nsounds=false\nvolume=0.1\ncountdown=9\n")
    settings = Settings(ini)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    assert dialog.voice_box.isChecked()
    assert dialog.countdown_spin.value() == DEFAULT_COUNTDOWN
    assert settings.countdown == 9
    dialog.accept()
    assert (settings.voice, settings.sounds, settings.volume, settings.countdown) == (
        True,
        True,
        DEFAULT_VOLUME,
        DEFAULT_COUNTDOWN,
    )


def test_dialog_says_when_there_is_no_voice(qtbot, ini: Path) -> None:
    settings = Settings(ini)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    # (Not shown on screen: isVisibleTo asks whether it would be visible if it were.)
    assert not dialog.voice_note.isVisibleTo(dialog)
    settings.voice_unavailable_reason = "No voice engine found; cues use sounds only."
    assert dialog.voice_note.isVisibleTo(dialog)
    assert dialog.voice_note.text() == "No voice engine found; cues use sounds only."
    assert dialog.voice_box.isEnabled()
    settings.voice_unavailable_reason = None
    assert not dialog.voice_note.isVisibleTo(dialog)
