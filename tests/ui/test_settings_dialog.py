"""The settings dialog shows the settings, saves them on OK and says when there is no voice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialogButtonBox

from routine_timer.cues import create_cue_player
from routine_timer.cues.voice import no_voice_reason
from routine_timer.paths import assets_dir
from routine_timer.settings import DEFAULT_COUNTDOWN, DEFAULT_VOLUME, Settings
from routine_timer.ui.settings_dialog import SettingsDialog
from tests.helpers.fakes import FakeSoundFactory


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    return tmp_path / "data" / "settings.ini"


def write_ini(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[cues]\n" + body, encoding="utf-8")


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
    settings.voice = False
    owner = QObject()
    player = create_cue_player(
        settings,
        assets_dir(),
        owner,
        voice_engine="no-such-engine",
        sound_factory=FakeSoundFactory(),
    )
    dialog = SettingsDialog(settings, cues=player)
    qtbot.addWidget(dialog)
    # (Not shown on screen: isVisibleTo asks whether it would be visible if it were.)
    assert not dialog.voice_note.isVisibleTo(dialog)
    settings.voice = True  # the player now looks for a voice engine, and finds none
    assert dialog.voice_note.isVisibleTo(dialog)
    assert dialog.voice_note.text() == no_voice_reason()
    assert dialog.voice_box.isEnabled()
    # Opened again later, it says so from the start.
    again = SettingsDialog(settings, cues=player)
    qtbot.addWidget(again)
    assert again.voice_note.isVisibleTo(again)
    owner.deleteLater()


def test_dialog_edits_the_flash_and_high_contrast(qtbot, ini: Path) -> None:
    settings = Settings(ini)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert not dialog.flash_box.isChecked()
    assert not dialog.high_contrast_box.isChecked()
    dialog.flash_box.click()
    dialog.high_contrast_box.click()
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert (settings.flash, settings.high_contrast) == (True, True)
    again = SettingsDialog(settings)
    qtbot.addWidget(again)
    assert again.flash_box.isChecked() and again.high_contrast_box.isChecked()
    again.restore_defaults()
    assert not again.flash_box.isChecked() and not again.high_contrast_box.isChecked()


def test_reminders_are_chosen_and_saved_on_ok(qtbot, ini: Path) -> None:
    from datetime import time

    from PySide6.QtCore import QTime

    from routine_timer.settings import REMIND_OFF, REMIND_OWN, REMIND_PLAN

    settings = Settings(ini)
    dialog = SettingsDialog(settings, plan_times="Back care reminds at 18:30.")
    qtbot.addWidget(dialog)
    assert dialog.remind_combo.currentData() == REMIND_PLAN
    assert not dialog.remind_time.isEnabled()
    assert dialog.remind_note.text() == "Back care reminds at 18:30."
    dialog.remind_combo.setCurrentIndex(dialog.remind_combo.findData(REMIND_OWN))
    assert dialog.remind_time.isEnabled()
    dialog.remind_time.setTime(QTime(7, 15))
    dialog.login_box.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert settings.remind == REMIND_OWN
    assert settings.reminder_time == time(7, 15)
    assert settings.start_at_login is True

    again = SettingsDialog(Settings(ini), plan_times=None)
    qtbot.addWidget(again)
    assert again.remind_combo.currentData() == REMIND_OWN
    assert again.remind_time.time() == QTime(7, 15)
    assert "choose one with File > Choose a plan" in again.remind_note.text()
    again.remind_combo.setCurrentIndex(again.remind_combo.findData(REMIND_OFF))
    again.restore_defaults()
    assert again.remind_combo.currentData() == REMIND_PLAN
    assert not again.login_box.isChecked()


def test_start_at_login_is_off_with_a_reason_where_it_cannot_be_set_up(qtbot, ini: Path) -> None:
    settings = Settings(ini)
    settings.start_at_login = True
    dialog = SettingsDialog(settings, login_unavailable="Linux only, for now.")
    qtbot.addWidget(dialog)
    assert not dialog.login_box.isEnabled() and not dialog.login_box.isChecked()
    assert dialog.login_note.text() == "Linux only, for now."
    dialog.accept()
    assert settings.start_at_login is True  # not touched: the box could not be used
