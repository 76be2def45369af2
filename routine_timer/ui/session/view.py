"""The session screen: what a runner follows from the mat, two metres away.

It shows what :func:`screen_text` says for the driver's latest state, in the
colours of the step kind, and turns buttons and keys into driver controls. It
never plays cues and never decides anything about time: the driver does.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from routine_timer.core.announce import Cue, CueKind
from routine_timer.core.durations import format_clock
from routine_timer.core.engine import SessionFinished, SessionState, SessionStatus
from routine_timer.core.figure_motion import shows_pictures
from routine_timer.core.model import Routine, Variant
from routine_timer.core.plan import StepKind
from routine_timer.core.progression import Suggestion
from routine_timer.core.redflags import offer_reason
from routine_timer.core.variations import VariationOffer, offer
from routine_timer.settings import Settings
from routine_timer.ui.accessibility import Announcer, QtAnnouncer, install_accessibility
from routine_timer.ui.figure_view import FigurePanel
from routine_timer.ui.session.checkin import (
    NoteField,
    PainAdvice,
    PainRating,
    RpeRating,
    checkin_label,
    checkin_style,
)
from routine_timer.ui.session.driver import SessionDriver
from routine_timer.ui.session.flash import CountdownFlash
from routine_timer.ui.session.text import (
    KEY_LEGEND,
    ScreenText,
    finish_details,
    finish_heading,
    screen_text,
    side_words,
    step_announcement,
)
from routine_timer.ui.suggestion_panel import SuggestionPanel
from routine_timer.ui.theme import Colours, Look, Scheme, TextTier, colours, system_scheme
from routine_timer.ui.widgets import FittedLabel, ProgressBar, ProgressRing, SideMarker

STOP_QUESTION = "Stop this session? The rest of the routine will be skipped."
VALUE_EVERY = 10
"""A screen reader hears the countdown ring's value every this many seconds..."""
COUNTDOWN_ANNOUNCED = 3
"""...and on each of the last this many (the 3-2-1)."""


class Control(Enum):
    """What a key can do on the session screen."""

    TOGGLE = "start, pause or resume"
    PLAY = "start or resume (never pauses)"
    PAUSE = "pause (never resumes)"
    SKIP = "skip"
    BACK = "back"
    DONE = "done"
    STOP = "stop (asks first)"
    MUTE = "mute or unmute"
    EASIER = "easier variation"
    HARDER = "harder variation"


SESSION_KEYS: tuple[tuple[Control, tuple[Qt.Key, ...]], ...] = (
    # A presentation clicker's "blank screen" button sends B or "."; pressed again, it
    # unblanks: here it pauses and resumes. Its "slideshow" button sends F5 (or
    # Shift+F5) and Esc in turn: F5 does nothing here, and Esc asks before stopping.
    (
        Control.TOGGLE,
        (Qt.Key.Key_Space, Qt.Key.Key_MediaTogglePlayPause, Qt.Key.Key_B, Qt.Key.Key_Period),
    ),
    (Control.PLAY, (Qt.Key.Key_MediaPlay,)),
    (Control.PAUSE, (Qt.Key.Key_MediaPause,)),
    (Control.SKIP, (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_MediaNext)),
    (Control.BACK, (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_MediaPrevious)),
    (Control.DONE, (Qt.Key.Key_Return, Qt.Key.Key_Enter)),
    (Control.STOP, (Qt.Key.Key_Escape, Qt.Key.Key_MediaStop)),
    (Control.MUTE, (Qt.Key.Key_M,)),
    (Control.EASIER, (Qt.Key.Key_E,)),
    (Control.HARDER, (Qt.Key.Key_H,)),
)
"""Every key of the session screen, with what it does: the one table of them.

Clickers send PageDown / PageUp; media keys (a keyboard's, a Bluetooth remote's)
reach the focused window as the Media keys. F11 (full screen) is apart: see
:meth:`SessionView.keyPressEvent`."""


def apply_colours(widget: QWidget, scheme_colours: Colours) -> None:
    """Paint ``widget`` (and its children) in one look's colours."""
    palette = widget.palette()
    background = QColor(scheme_colours.background)
    text = QColor(scheme_colours.text)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Window, background)
        palette.setColor(group, QPalette.ColorRole.WindowText, text)
        palette.setColor(group, QPalette.ColorRole.ButtonText, text)
        palette.setColor(
            group, QPalette.ColorRole.PlaceholderText, QColor(scheme_colours.secondary)
        )
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


def button_style(scheme_colours: Colours, font_px: int) -> str:
    """Buttons drawn in the text colour so they stay readable on every step colour."""
    text = QColor(scheme_colours.text)
    return (
        "QPushButton {"
        f" color: {scheme_colours.text}; background: rgba({text.red()}, {text.green()},"
        f" {text.blue()}, 28); border: 2px solid {scheme_colours.text}; border-radius: 8px;"
        f" padding: {max(4, font_px // 3)}px {max(6, font_px // 2)}px; font-size: {font_px}px; }}"
        "QPushButton:pressed {"
        f" background: rgba({text.red()}, {text.green()}, {text.blue()}, 70); }}"
        f"QPushButton#done {{ font-size: {int(font_px * 1.6)}px; font-weight: bold;"
        f" border-width: 4px; }}"
        # Under a style sheet, Qt gives children that no rule matches the application's
        # palette when they are shown: the painted text would be black on the dark scheme.
        f"FittedLabel, ProgressRing, ProgressBar {{ color: {scheme_colours.text};"
        f" placeholder-text-color: {scheme_colours.secondary}; }}"
    )


class SessionView(QWidget):
    """Shows one running session and controls it by mouse and keyboard."""

    leaveRequested = Signal()
    """The user is done with this screen (stopped, or left before starting)."""
    fullScreenRequested = Signal()
    painBeforeChanged = Signal(object)
    """Back pain rated on the get-ready screen: 0-10, or None when cleared."""
    stoppedForPain = Signal(object)
    """"Stop: pain" stopped the session; sends the :class:`Step` it was in."""
    variationRequested = Signal(object)
    """E / H, or their buttons: switch the coming exercise; sends the :class:`Variant`."""

    def __init__(
        self,
        driver: SessionDriver,
        *,
        settings: Settings | None = None,
        routine: Routine | None = None,
        scheme: Scheme | None = None,
        announcer: Announcer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        install_accessibility()
        self._announcer: Announcer = announcer if announcer is not None else QtAnnouncer()
        self._announced: tuple[object, ...] | None = None
        """What the last step announcement was about (step, status), to say each once."""
        self._announced_side = ""
        self._announced_second: int | None = None
        self._words: tuple[str, ...] = ()
        self._driver = driver
        self._routine = routine
        """The routine as written, whose variations the coming exercise can switch to."""
        self._offer: VariationOffer | None = None
        # Mute belongs to the settings, which the cue player obeys; without them
        # (a screen shown on its own), the switch is this screen's alone.
        self._settings = settings if settings is not None else Settings(None)
        self._scheme = scheme
        self._look: Look | None = None
        self._text: ScreenText | None = None
        self._asking_to_stop = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self._bind_keys()
        driver.stateChanged.connect(self._show_state)
        driver.cueDue.connect(self._cue_due)
        unsubscribe = self._settings.subscribe(self._setting_changed)
        # The settings outlive this screen: stop hearing them when it goes.
        self.destroyed.connect(lambda *_: unsubscribe())
        self._show_state(driver.state())
        self._show_muted()

    # --- layout -------------------------------------------------------------------

    def _build(self) -> None:
        primary = TextTier.PRIMARY
        self.heading = FittedLabel(bold=True, align=Qt.AlignmentFlag.AlignLeft, tier=primary)
        self.overall = FittedLabel(secondary=True, align=Qt.AlignmentFlag.AlignRight)
        self.title = FittedLabel(bold=True, fill=0.8, tier=primary)
        self.details = FittedLabel()
        self.ring = ProgressRing()
        self.coach = FittedLabel(fill=0.7)
        self.hints = FittedLabel(secondary=True, fill=0.7, tier=TextTier.REFERENCE)
        # Shown only while the coming exercise can be switched (E and H do the same).
        self.easier_button = self._button("Easier (E)", lambda: self._request(Variant.EASIER))
        self.harder_button = self._button("Harder (H)", lambda: self._request(Variant.HARDER))
        self.variation_row = QWidget()
        variations = QHBoxLayout(self.variation_row)
        variations.setContentsMargins(0, 0, 0, 0)
        variations.addWidget(self.easier_button)
        variations.addWidget(self.harder_button)
        # Its room is not kept while it is hidden: whether a step offers a variation is
        # known as it starts and holds to its end, so nothing jumps within a step, and a
        # set needs the height for its words.
        self.variation_row.hide()
        self.next_up = FittedLabel(fill=0.7, tier=primary)
        # The side to work, big, at that side of the screen (a sided step, a switch, or
        # the get-ready countdown before a sided first set).
        self.side_marker = SideMarker()
        self.side_marker.hide()
        self.progress = ProgressBar()

        self.back_button = self._button("Back (←)", self._driver.back)
        self.toggle_button = self._button("Pause (Space)", self._driver.toggle)
        self.skip_button = self._button("Skip (→)", self._driver.skip)
        self.done_button = self._button("Done (Enter)", self._driver.mark_done)
        self.done_button.setObjectName("done")
        self.mute_button = self._button("Mute (M)", self._settings.toggle_muted)
        self.full_screen_button = self._button("Full screen (F11)", self.fullScreenRequested.emit)
        self.stop_button = self._button("Stop (Esc)", self.request_stop)
        self.pain_stop_button = self._button("Stop: pain", self.stop_for_pain)
        self.pain_stop_button.setToolTip("Stop now, without a question, and note that it hurt")

        # The back check-in sits on the get-ready screen only, under the countdown.
        self.pain_before = PainRating()
        self.pain_before.valueChanged.connect(self.painBeforeChanged.emit)
        self.checkin_row = QWidget()
        # The caption sits beside its eleven buttons in a wide window (the words above
        # need the height), above them in a narrow one (the buttons need the width).
        checkin = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.checkin_row)
        checkin.setContentsMargins(0, 0, 0, 0)
        checkin.setSpacing(8)
        self._checkin_layout = checkin
        checkin.addWidget(checkin_label("Back pain now (0-10)"))
        checkin.addWidget(self.pain_before, 1)
        self.checkin_row.setToolTip("Optional: tap a number, tap it again to clear it")
        self.checkin_row.hide()

        header = QHBoxLayout()
        header.addWidget(self.heading, 3)
        header.addWidget(self.overall, 2)

        info = QVBoxLayout()
        info.setSpacing(0)
        info.addWidget(self.title, 5)
        info.addWidget(self.details, 3)
        info.addWidget(self.coach, 3)
        info.addWidget(self.hints, 2)
        info.addWidget(self.variation_row)
        info.addWidget(self.next_up, 3)
        info.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignCenter)
        self._info = info

        # Landscape windows put the ring beside the words, portrait ones above them.
        self._body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._body.addWidget(self.ring, 5)
        # The exercise's figure (or picture) beside the digits; no room taken without one.
        self.figure = FigurePanel(self._driver.state)
        pictures = shows_pictures(self._driver.timeline)
        self.figure.setVisible(pictures)
        self._body.addWidget(self.figure, 5)
        self._body.addLayout(info, 6)

        controls = QHBoxLayout()
        for button in (
            self.back_button,
            self.toggle_button,
            self.skip_button,
            self.mute_button,
            self.full_screen_button,
            self.stop_button,
            self.pain_stop_button,
        ):
            controls.addWidget(button)

        # Over everything, shown only for a moment on 3, 2, 1 (when the setting is on).
        self.flash = CountdownFlash(self)

        outer = QVBoxLayout(self)
        # Tight rows: from the mat, height is what the words are short of.
        outer.setSpacing(4)
        outer.addLayout(header, 1)
        outer.addWidget(self.side_marker, 1)
        outer.addLayout(self._body, 10)
        outer.addWidget(self.checkin_row)
        outer.addWidget(self.progress)
        outer.addLayout(controls)
        # Grey, under the buttons: read while setting up more than from the mat, so it is
        # the first to give up lines (_settle_words); still a secondary text's size.
        self.key_legend = FittedLabel(KEY_LEGEND, secondary=True, fill=0.8, tier=TextTier.REFERENCE)
        outer.addWidget(self.key_legend)
        self._outer = outer

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        # No focus: Space and Enter must always mean the session keys, never "click the
        # button that happens to have focus".
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # A small minimum: otherwise the row of labels, in the font chosen for the current
        # size, would stop the window from ever getting narrower (or turning portrait).
        button.setMinimumWidth(24)
        button.clicked.connect(slot)
        return button

    def _bind_keys(self) -> None:
        slots: dict[Control, Callable[[], object]] = {
            Control.TOGGLE: self._driver.toggle,
            Control.PLAY: self._driver.play,
            Control.PAUSE: self._driver.pause,
            Control.SKIP: self._driver.skip,
            Control.BACK: self._driver.back,
            Control.DONE: self._driver.mark_done,
            Control.STOP: self.request_stop,
            Control.MUTE: self._settings.toggle_muted,
            Control.EASIER: lambda: self._request(Variant.EASIER),
            Control.HARDER: lambda: self._request(Variant.HARDER),
        }
        self._shortcuts = []
        for control, keys in SESSION_KEYS:
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                # Whichever child has the focus, the keys are the session's.
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slots[control])
                self._shortcuts.append(shortcut)

    # --- what it shows ----------------------------------------------------------------

    @property
    def driver(self) -> SessionDriver:
        return self._driver

    def text_on_screen(self) -> ScreenText | None:
        """The text currently on screen (for tests and accessibility).

        Not ``screen()``: that is ``QWidget.screen()``, the monitor the widget is on,
        which Qt code and anything walking the widgets expect to get from every widget.
        """
        return self._text

    def look(self) -> Look | None:
        return self._look

    def scheme(self) -> Scheme:
        """High contrast when the settings ask for it; else the given or the system's scheme."""
        if self._settings.high_contrast:
            return Scheme.HIGH_CONTRAST
        return self._scheme if self._scheme is not None else system_scheme()

    def _cue_due(self, cue: Cue) -> None:
        if cue.kind is CueKind.COUNTDOWN and self._settings.flash and self._look is not None:
            self.flash.flash(QColor(colours(self._look, self.scheme()).text))

    def _request(self, variant: Variant) -> None:
        if self._offer is not None and self._offer.name_of(variant) is not None:
            self.variationRequested.emit(variant)

    def _show_variations(self, offered: VariationOffer | None) -> None:
        self._offer = offered
        self.variation_row.setVisible(offered is not None)
        if offered is None:
            return
        for button, variant, key in (
            (self.easier_button, Variant.EASIER, "E"),
            (self.harder_button, Variant.HARDER, "H"),
        ):
            button.setVisible(offered.name_of(variant) is not None)
            label = "As written" if offered.current is variant else variant.value.capitalize()
            button.setText(f"{label} ({key})")

    def _show_state(self, state: SessionState) -> None:
        offered = None if self._routine is None else offer(self._routine, state)
        self._show_variations(offered)
        text = screen_text(state, self._driver.timeline, offer=offered)
        self._text = text
        self.heading.setText(text.heading)
        self.overall.setText(text.overall)
        self.title.setText(text.title)
        self.details.setText(text.details)
        self.ring.set_values(text.ring, text.digits, text.caption)
        self.coach.setText(text.coach)
        self.hints.setText(text.hints)
        self.next_up.setText(text.next_up)
        self.side_marker.set_side(text.side, text.side_text)
        self.side_marker.setVisible(text.side is not None)
        self.progress.set_fraction(text.progress)
        self.figure.show_state(state)
        self.done_button.setVisible(text.done_button)
        self.toggle_button.setText(_toggle_label(state.status))
        timed_controls = state.status.in_progress
        self.back_button.setEnabled(timed_controls)
        self.skip_button.setEnabled(timed_controls)
        self.pain_stop_button.setEnabled(timed_controls)
        self.checkin_row.setVisible(state.step is not None and state.step.kind is StepKind.PREPARE)
        self.toggle_button.setEnabled(
            state.status in (SessionStatus.READY, SessionStatus.RUNNING, SessionStatus.PAUSED)
        )
        if text.look is not self._look:
            self._look = text.look
            self._restyle()
        words = (text.title, text.details, text.coach, text.hints, text.next_up, text.side_text)
        if words != self._words:
            self._words = words
            self._settle_words()
        self._tell_screen_reader(state, text)

    def _tell_screen_reader(self, state: SessionState, text: ScreenText) -> None:
        """Names for the screen reader, and what changed, said once (docs/accessibility.md).

        The step (and a pause, and the end) is announced as it comes; the side
        when it changes within a step (alternating reps); the countdown's value
        only every 10 seconds and on each of the last 3, never every second. The
        3-2-1 is also announced in words when the app's own voice is off or muted.
        """
        announcer = self._announcer
        self.ring.set_spoken(text.ring_name, text.time_words)
        step = state.step.index if state.step is not None else None
        about = (step, state.status)
        side = side_words(text)
        if about != self._announced:
            self._announced = about
            self._announced_side = side
            self._announced_second = text.seconds
            for label in (self.heading, self.title, self.details, self.next_up):
                announcer.name_changed(label)
            announcer.announce(self, step_announcement(text), assertive=True)
            return
        if side != self._announced_side:
            self._announced_side = side
            announcer.name_changed(self.side_marker)
            if side:
                announcer.announce(self.side_marker, side, assertive=True)
        seconds = text.seconds
        if seconds is None or seconds == self._announced_second:
            return
        self._announced_second = seconds
        if 0 < seconds <= COUNTDOWN_ANNOUNCED or seconds % VALUE_EVERY == 0:
            announcer.value_changed(self.ring, seconds)
            voice = self._settings.voice and not self._settings.muted
            if 0 < seconds <= min(COUNTDOWN_ANNOUNCED, self._settings.countdown) and not voice:
                announcer.announce(self.ring, str(seconds))

    @property
    def settings(self) -> Settings:
        """The settings whose mute switch the M key and the Mute button turn."""
        return self._settings

    def _setting_changed(self, key: str) -> None:
        if key == "muted":
            self._show_muted()
        elif key == "high_contrast":
            self._restyle()

    def _show_muted(self) -> None:
        self.mute_button.setText("Unmute (M)" if self._settings.muted else "Mute (M)")

    def _restyle(self) -> None:
        if self._look is None:
            return
        scheme_colours = colours(self._look, self.scheme())
        # While a style sheet is set, Qt ignores a new palette: drop it, repaint, restyle.
        self.setStyleSheet("")
        apply_colours(self, scheme_colours)
        self.figure.set_colours(scheme_colours)
        self.side_marker.set_paper(QColor(scheme_colours.background))
        font_px = self._button_font_px()
        # The pain numbers are a little bigger than the controls: they are meant to be
        # tapped (and the words above them need the height more).
        self.setStyleSheet(
            button_style(scheme_colours, font_px) + checkin_style(scheme_colours, font_px)
        )

    def _button_font_px(self) -> int:
        # The width share keeps the whole row of buttons inside the window.
        return max(10, min(28, int(min(self.width() / 52, self.height() * 1.6 / 40))))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = self.width() >= self.height() * 1.15
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._body.direction() != direction:
            self._body.setDirection(direction)
        self._settle_words()
        checkin = (
            QBoxLayout.Direction.LeftToRight
            if self.width() >= 1000
            else QBoxLayout.Direction.TopToBottom
        )
        if self._checkin_layout.direction() != checkin:
            self._checkin_layout.setDirection(checkin)
        margin = max(8, min(self.width(), self.height()) // 48)
        self._outer.setContentsMargins(margin, margin, margin, margin)
        self.progress.setFixedHeight(max(8, self.height() // 60))
        self.flash.setGeometry(self.rect())
        self._restyle()

    def _share_the_width(self, wide: bool, *, crowded: bool = False) -> None:
        """Ring, picture and words side by side: the words get what the others would waste.

        A ring beside the words is as wide as the body is tall at most, so in a
        window wider than 16:10 without a picture the words take its spare width;
        with a picture, the figure (a person drawn lying or standing, seen from the
        side) gives up some of its share, which the words need to stay whole at
        their least sizes (docs/accessibility.md). ``crowded``: the words still do
        not fit, and the ring and the picture give up more.
        """
        pictures = self.figure.isVisibleTo(self)
        if wide and pictures:
            shares = (4, 2, 10) if crowded else (5, 3, 8)
        elif wide and (crowded or self.width() >= self.height() * 1.6):
            shares = (4, 0, 7)
        else:
            shares = (5, 5, 6)
        for index, share in enumerate(shares):
            if self._body.stretch(index) != share:
                self._body.setStretch(index, share)

    def _settle_words(self) -> None:
        """When the words need more height than the screen has, the least needed give way.

        Every text keeps its least size (``TextTier``); what gives is the number
        of lines: first the key legend's and where the routine stands (one line
        each), then the easier / harder hint's, the coaching cue's and the
        details', down to one line each, ending in an ellipsis; then the ring and
        the picture make room; at last the key legend steps aside. The step's
        name, what comes next and the side are not cut short on a laptop's
        screen (tests/ui/session/test_text_sizes.py).
        """
        if not self.isVisible():
            return
        wide = self._body.direction() is QBoxLayout.Direction.LeftToRight
        for label in self.findChildren(FittedLabel):
            label.set_line_limit(None)
        self.key_legend.show()
        self._share_the_width(wide)
        self._relayout()
        giving_way: tuple[Callable[[], None], ...] = (
            lambda: self.key_legend.set_line_limit(1),
            lambda: self.overall.set_line_limit(1),
            lambda: self.hints.set_line_limit(2),
            lambda: self.hints.set_line_limit(1),
            lambda: self.coach.set_line_limit(2),
            lambda: self.coach.set_line_limit(1),
            lambda: self.details.set_line_limit(1),
            lambda: self._share_the_width(wide, crowded=True),
            # The last resort: the legend says what the buttons' own labels also say.
            self.key_legend.hide,
        )
        for give in giving_way:
            if not any(
                shown.isVisible() and shown.text() and shown.text_fit().elided
                for shown in self.findChildren(FittedLabel)
            ):
                return
            give()
            self._relayout()

    def _relayout(self) -> None:
        self._outer.invalidate()
        self._outer.activate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._settle_words()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # F11 is a key press, not a QShortcut: in the main window its Full screen action
        # owns F11, and two shortcuts on one key would cancel each other out.
        if event.key() == Qt.Key.Key_F11 and not event.modifiers():
            self.fullScreenRequested.emit()
            return
        super().keyPressEvent(event)

    # --- stopping ---------------------------------------------------------------------

    def request_stop(self) -> None:
        """Esc / Stop: ask before throwing away a session in progress, then leave."""
        status = self._driver.status
        if status.in_progress:
            # A headset's Stop pressed twice (over the bus, past the question) asks once.
            if self._asking_to_stop:
                return
            self._asking_to_stop = True
            try:
                answer = QMessageBox.question(
                    self,
                    "Stop the routine?",
                    STOP_QUESTION,
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )
            finally:
                self._asking_to_stop = False
            if answer != QMessageBox.StandardButton.Yes:
                return
            self._driver.stop()
        if self._driver.status is not SessionStatus.FINISHED:
            self.leaveRequested.emit()

    def stop_for_pain(self) -> None:
        """Stop: pain - stop at once (no question: it hurts), report the step, and leave.

        The session is recorded as stopped, like Esc; whoever listens to
        ``stoppedForPain`` marks the step "stopped: pain" in the history.
        """
        if not self._driver.status.in_progress:
            return
        step = self._driver.state().step
        self._driver.stop()
        self.stoppedForPain.emit(step)
        self.leaveRequested.emit()


def _toggle_label(status: SessionStatus) -> str:
    if status is SessionStatus.READY:
        return "Start (Space)"
    if status is SessionStatus.PAUSED:
        return "Resume (Space)"
    return "Pause (Space)"


class FinishView(QWidget):
    """ "Routine complete", the time it took, the back check-in, and the way back.

    The check-in is optional: back pain now (0-10), effort (RPE 1-10) and a
    note, each sent as soon as it is given (``painAfterChanged``,
    ``rpeChanged``, ``noteChanged``; the note once typing pauses). When pain
    after is 3 or more above ``pain_before``, a gentle word suggests easing
    the routine. Nothing here waits for an answer.

    Below, the suggestion for next time when a rule of ``docs/back-care.md``
    fits (:meth:`show_suggestion`; ``suggestionAnswered(bool)``), and, after
    pain after of 7 or more or a rise of 3, the warning-sign questions
    (``redFlagsRequested``).
    """

    backRequested = Signal()
    suggestionAnswered = Signal(bool)
    """The runner's one tap on the suggestion: True to accept it."""
    redFlagsRequested = Signal()
    painAfterChanged = Signal(object)
    """Back pain after the routine: 0-10, or None when cleared."""
    rpeChanged = Signal(object)
    """Effort: 1-10, or None when cleared."""
    noteChanged = Signal(str)

    def __init__(
        self,
        routine_name: str,
        event: SessionFinished,
        *,
        pain_before: int | None = None,
        scheme: Scheme | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._scheme = scheme if scheme is not None else system_scheme()
        self.pain_before = pain_before
        primary = TextTier.PRIMARY
        self.heading = FittedLabel(finish_heading(event), bold=True, fill=0.8, tier=primary)
        self.name = FittedLabel(routine_name, fill=0.7)
        self.time_done = FittedLabel(
            f"Time: {format_clock(event.active_seconds)}", fill=0.8, tier=primary
        )
        self.paused = FittedLabel(finish_details(event), secondary=True, fill=0.6)

        self.pain_after = PainRating()
        self.pain_after.valueChanged.connect(self.painAfterChanged.emit)
        self.pain_after.valueChanged.connect(self._show_advice)
        self.rpe = RpeRating(indent=1)  # its 1 under the pain row's 1
        self.rpe.valueChanged.connect(self.rpeChanged.emit)
        self.note = NoteField()
        self.note.noteChanged.connect(self.noteChanged.emit)
        self.note.returnPressed.connect(lambda: self.setFocus(Qt.FocusReason.OtherFocusReason))
        self.advice = PainAdvice()
        self.suggestion = SuggestionPanel()
        self.suggestion.answered.connect(self.suggestionAnswered.emit)
        self.red_flags_button = QPushButton("Warning signs: 4 quick questions")
        self.red_flags_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.red_flags_button.clicked.connect(self.redFlagsRequested.emit)
        self.red_flags_button.hide()
        self._checkin_labels = (
            checkin_label("Back pain now (0-10)"),
            checkin_label("Effort (RPE 1-10)"),
        )
        checkin = QGridLayout()
        checkin.setHorizontalSpacing(16)
        self._checkin = checkin
        self._checkin_wide: bool | None = None

        self.back_button = QPushButton("Done (Enter)")
        self.back_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.leave)
        layout = QVBoxLayout(self)
        self._layout = layout
        layout.addWidget(self.heading, 4)
        layout.addWidget(self.name, 2)
        layout.addWidget(self.time_done, 3)
        layout.addWidget(self.paused, 1)
        layout.addSpacing(8)
        layout.addLayout(checkin)
        self._arrange_checkin(wide=False)  # the narrow minimum: a window may be small
        layout.addWidget(self.advice)
        layout.addWidget(self.red_flags_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.suggestion)
        layout.addSpacing(8)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignCenter)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._key_leave)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        scheme_colours = colours(Look.FINISHED, self._scheme)
        apply_colours(self, scheme_colours)
        self._colours = scheme_colours
        self._restyle()

    def leave(self) -> None:
        """Save a note still being typed, then ask to go back to the library."""
        self.note.flush()
        self.backRequested.emit()

    def _key_leave(self) -> None:
        # Enter in the note saves it and hands the keys back; the next Enter leaves.
        if self.note.hasFocus():
            self.note.flush()
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.leave()

    def _show_advice(self, pain_after: int | None) -> None:
        self.advice.show_for(self.pain_before, pain_after)
        self.red_flags_button.setVisible(offer_reason(self.pain_before, pain_after) is not None)

    def show_suggestion(self, suggestion: Suggestion | None) -> None:
        """The suggestion for next time (None: no rule fits, nothing shown)."""
        self.suggestion.show_suggestion(suggestion)

    def _arrange_checkin(self, wide: bool) -> None:
        """Captions beside the numbers in a wide window, above them in a narrow one."""
        if wide == self._checkin_wide:
            return
        self._checkin_wide = wide
        grid = self._checkin
        rows = (self._checkin_labels[0], self.pain_after, self._checkin_labels[1], self.rpe)
        for widget in (*rows, self.note):
            grid.removeWidget(widget)
        pain_label, pain, rpe_label, rpe = rows
        if wide:
            places = ((pain_label, 0, 0), (pain, 0, 1), (rpe_label, 1, 0), (rpe, 1, 1))
            grid.setColumnStretch(0, 0)
        else:
            places = ((pain_label, 0, 0), (pain, 1, 0), (rpe_label, 2, 0), (rpe, 3, 0))
            grid.setColumnStretch(1, 0)
        for widget, row, column in places:
            grid.addWidget(widget, row, column, 1, 1 if wide else 2)
        grid.addWidget(self.note, 4, 0, 1, 2)
        grid.setColumnStretch(1 if wide else 0, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._restyle()

    def _restyle(self) -> None:
        font_px = max(14, min(36, min(self.width(), int(self.height() * 1.6)) // 30))
        self.setStyleSheet(
            button_style(self._colours, font_px) + checkin_style(self._colours, int(font_px * 0.75))
        )
        self.note.set_placeholder_colour(self._colours.secondary)
        margin = max(8, min(self.width(), self.height()) // 24)
        self._layout.setContentsMargins(margin, margin, margin, margin)
        # The summary lines keep a readable size however much the check-in takes.
        for label, share in ((self.heading, 2.0), (self.name, 1.0), (self.time_done, 1.4)):
            label.setMinimumHeight(int(font_px * share))
        self.paused.setMinimumHeight(int(font_px * 0.7))
        self._arrange_checkin(self.width() >= 760)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
