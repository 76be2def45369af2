"""The settings dialog: voice, sounds, volume, the countdown, the screen's look, reminders."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from routine_timer.settings import (
    DEFAULT_COUNTDOWN,
    DEFAULT_FLASH,
    DEFAULT_HIGH_CONTRAST,
    DEFAULT_REMIND,
    DEFAULT_REMINDER_TIME,
    DEFAULT_SOUNDS,
    DEFAULT_START_AT_LOGIN,
    DEFAULT_VOICE,
    DEFAULT_VOLUME,
    MAX_COUNTDOWN,
    REMIND_OFF,
    REMIND_OWN,
    REMIND_PLAN,
    Settings,
)

REMIND_CHOICES = (
    (REMIND_PLAN, "At the plan's times"),
    (REMIND_OWN, "At my own time"),
    (REMIND_OFF, "Off"),
)

if TYPE_CHECKING:
    from routine_timer.cues.player import SoundAndVoiceCues


class SettingsDialog(QDialog):
    """Edits :class:`Settings`; OK saves, Cancel leaves them as they were.

    When the cue player ``cues`` found no voice engine, the dialog says so
    under the voice check box (and keeps the box usable: an engine installed
    later is picked up on the next start).

    ``plan_times`` says in words when the chosen plan reminds (None: no plan
    is chosen); ``login_unavailable`` why starting at login cannot be set up
    here (the box is then off and disabled, with the reason beside it).
    """

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        cues: SoundAndVoiceCues | None = None,
        plan_times: str | None = None,
        login_unavailable: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings

        self.voice_box = QCheckBox("Speak announcements and coaching")
        self.voice_note = QLabel()
        self.voice_note.setWordWrap(True)
        self.voice_note.setObjectName("voiceNote")
        self.sounds_box = QCheckBox("Play beeps and chimes")
        self.volume_slider = QSlider(Qt.Orientation.Horizontal)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setPageStep(10)
        self.volume_label = QLabel()
        widest = self.volume_label.fontMetrics().horizontalAdvance("100 %")
        self.volume_label.setMinimumWidth(widest)
        self.volume_slider.valueChanged.connect(self._show_volume)
        self.countdown_spin = QSpinBox()
        self.countdown_spin.setRange(0, MAX_COUNTDOWN)
        self.countdown_spin.setSuffix(" s")
        self.countdown_spin.setSpecialValueText("Off")
        self.countdown_spin.setToolTip("Beeps counting down the last seconds of each timed step")

        self.flash_box = QCheckBox("Flash the screen on 3, 2, 1")
        self.flash_box.setToolTip(
            "For a noisy room: the session screen flashes briefly with each countdown number"
        )
        self.high_contrast_box = QCheckBox("High contrast")
        self.high_contrast_box.setToolTip(
            "The session screen in black, white and yellow, every text at 7:1 contrast or more"
        )
        self.remind_combo = QComboBox()
        for mode, text in REMIND_CHOICES:
            self.remind_combo.addItem(text, mode)
        self.remind_time = QTimeEdit()
        self.remind_time.setDisplayFormat("HH:mm")
        self.remind_time.setToolTip("Your own time of day for the reminder")
        self.remind_combo.currentIndexChanged.connect(self._show_remind_mode)
        self.remind_note = QLabel()
        self.remind_note.setObjectName("remindNote")
        self.remind_note.setWordWrap(True)
        self._plan_times = plan_times
        self.login_box = QCheckBox("Start at login, in the tray")
        self.login_box.setToolTip(
            "So reminders come after the computer restarts, without opening the app"
        )
        self.login_note = QLabel(login_unavailable or "")
        self.login_note.setWordWrap(True)
        self.login_note.setVisible(bool(login_unavailable))
        self.login_box.setEnabled(login_unavailable is None)

        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume_slider, 1)
        volume_row.addWidget(self.volume_label)
        form = QFormLayout()
        form.addRow("Voice:", self.voice_box)
        form.addRow("", self.voice_note)
        form.addRow("Sounds:", self.sounds_box)
        form.addRow("Volume:", volume_row)
        form.addRow("Countdown before a step ends:", self.countdown_spin)
        form.addRow("Countdown flash:", self.flash_box)
        form.addRow("Session screen:", self.high_contrast_box)
        remind_row = QHBoxLayout()
        remind_row.addWidget(self.remind_combo, 1)
        remind_row.addWidget(self.remind_time)
        form.addRow("Remind me of today's routines:", remind_row)
        form.addRow("", self.remind_note)
        form.addRow("", self.login_box)
        form.addRow("", self.login_note)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        restore = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self.restore_defaults)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self._load()
        self._show_voice_note(cues.voice_unavailable_reason if cues is not None else None)
        if cues is not None:
            # The voice may fail while the dialog is open (an engine gives up starting).
            cues.voiceUnavailableChanged.connect(self._show_voice_note)

    def accept(self) -> None:
        """Save what the dialog shows, then close."""
        settings = self._settings
        settings.voice = self.voice_box.isChecked()
        settings.sounds = self.sounds_box.isChecked()
        settings.volume = self.volume_slider.value() / 100
        settings.countdown = self.countdown_spin.value()
        settings.flash = self.flash_box.isChecked()
        settings.high_contrast = self.high_contrast_box.isChecked()
        chosen = self.remind_time.time()
        settings.reminder_time = time(chosen.hour(), chosen.minute())
        settings.remind = str(self.remind_combo.currentData())
        if self.login_box.isEnabled():
            settings.start_at_login = self.login_box.isChecked()
        super().accept()

    def restore_defaults(self) -> None:
        """Show the default values (saved only on OK)."""
        self.voice_box.setChecked(DEFAULT_VOICE)
        self.sounds_box.setChecked(DEFAULT_SOUNDS)
        self.volume_slider.setValue(round(DEFAULT_VOLUME * 100))
        self.countdown_spin.setValue(DEFAULT_COUNTDOWN)
        self.flash_box.setChecked(DEFAULT_FLASH)
        self.high_contrast_box.setChecked(DEFAULT_HIGH_CONTRAST)
        self._set_remind(DEFAULT_REMIND)
        self.remind_time.setTime(QTime(DEFAULT_REMINDER_TIME.hour, DEFAULT_REMINDER_TIME.minute))
        if self.login_box.isEnabled():
            self.login_box.setChecked(DEFAULT_START_AT_LOGIN)

    def _load(self) -> None:
        settings = self._settings
        self.voice_box.setChecked(settings.voice)
        self.sounds_box.setChecked(settings.sounds)
        self.volume_slider.setValue(round(settings.volume * 100))
        self._show_volume(self.volume_slider.value())
        self.countdown_spin.setValue(settings.countdown)
        self.flash_box.setChecked(settings.flash)
        self.high_contrast_box.setChecked(settings.high_contrast)
        self.remind_time.setTime(QTime(settings.reminder_time.hour, settings.reminder_time.minute))
        self._set_remind(settings.remind)
        self.login_box.setChecked(settings.start_at_login and self.login_box.isEnabled())

    def _set_remind(self, mode: str) -> None:
        self.remind_combo.setCurrentIndex(max(self.remind_combo.findData(mode), 0))
        self._show_remind_mode()

    def _show_remind_mode(self, _index: int = 0) -> None:
        mode = self.remind_combo.currentData()
        self.remind_time.setEnabled(mode == REMIND_OWN)
        if self._plan_times is None:
            note = "Reminders follow a plan: choose one with File > Choose a plan."
        elif mode == REMIND_OFF:
            note = "No reminders."
        elif mode == REMIND_OWN:
            note = "One reminder a day at your time, of whatever is still due."
        else:
            note = self._plan_times
        self.remind_note.setText(note)

    def _show_volume(self, value: int) -> None:
        self.volume_label.setText(f"{value} %")

    def _show_voice_note(self, reason: str | None) -> None:
        self.voice_note.setText(reason or "")
        self.voice_note.setVisible(bool(reason))
