"""The picture of an exercise: one of the app's drawn figures, or the routine's own image.

:class:`FigurePanel` paints a figure with QPainter, antialiased, as large as
its box allows, in the colours it is given (the session screen's text colour
on each step's background, which pass WCAG AA; far limbs hollow). In a
session it follows the session's own state (:func:`session_picture`) and
asks for frames only while the figure moves: a QTimer runs during a
movement and stops once a position is held, paused or still.

A routine's ``image`` (png, jpg, svg, or an animated gif) is decoded on a
worker thread and shown scaled; until it is ready, and if it cannot be read,
a placeholder takes its place and the problem goes to the log, never to a
dialog. Nothing here can hold up the session's timer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QObject,
    QPointF,
    QRectF,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageReader,
    QMovie,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from routine_timer.core.engine import SessionState, SessionStatus
from routine_timer.core.figure_motion import Frame, Picture, figure_of, session_picture, still_frame
from routine_timer.core.model import Exercise
from routine_timer.core.pose import HEAD_RADIUS, LIMB_WIDTH
from routine_timer.ui.theme import Colours

FRAME_MS = 66
"""15 frames a second while a figure moves: smooth enough for a movement seen from the
mat, and within the CPU budget even when a figure never stops (a walk; BENCHMARKS.md)."""
SMALL_SHARE = 0.6
"""The coming exercise's figure, on a rest or the get-ready countdown: this share of the box."""
MAX_IMAGE_SIDE = 1600
"""Pictures are decoded no larger than this (a photo straight off a camera is not)."""

_log = logging.getLogger(__name__)


def paint_frame(
    painter: QPainter, box: QRectF, frame: Frame, *, ink: QColor, paper: QColor, floor: QColor
) -> None:
    """Draw ``frame`` as large as fits in ``box``, on a floor line, centred."""
    figure = frame.figure
    left, bottom, right, top = figure.frame_box()
    width, height = right - left, top - bottom
    scale = min(box.width() / width, box.height() / height)
    if scale <= 0:
        return
    origin_x = box.center().x() - width * scale / 2 - left * scale
    origin_y = box.center().y() + height * scale / 2 + bottom * scale

    def place(x: float, y: float) -> QPointF:
        return QPointF(origin_x + x * scale, origin_y - y * scale)

    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    floor_pen = QPen(floor, max(1.0, 3 * scale), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(floor_pen)
    painter.drawLine(place(left, 0), place(right, 0))
    if figure.wall is not None:
        painter.drawLine(place(figure.wall, 0), place(figure.wall, top))
    laid = figure.placed(frame.pose, mirrored=frame.mirrored)
    for stroke in laid.strokes():
        line = QPolygonF([place(x, y) for x, y in stroke.points])
        painter.setPen(_pen(ink, stroke.width * scale))
        painter.drawPolyline(line)
        if stroke.far:
            painter.setPen(_pen(paper, (stroke.width - LIMB_WIDTH * 0.55) * scale))
            painter.drawPolyline(line)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    head = place(*laid.head)
    painter.drawEllipse(head, HEAD_RADIUS * scale, HEAD_RADIUS * scale)


def _pen(colour: QColor, width: float) -> QPen:
    return QPen(
        colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )


class _Decoded(QObject):
    done = Signal(str, object)
    """The path, and its QImage (None when it could not be read)."""


class _Decode(QRunnable):
    def __init__(self, path: Path, signals: _Decoded) -> None:
        super().__init__()
        self._path = path
        self._signals = signals

    def run(self) -> None:
        reader = QImageReader(str(self._path))
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > MAX_IMAGE_SIDE:
            reader.setScaledSize(
                size.scaled(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, Qt.AspectRatioMode.KeepAspectRatio)
            )
        image = reader.read()
        if image.isNull():
            _log.warning("cannot show the picture %s: %s", self._path, reader.errorString())
            self._signals.done.emit(str(self._path), None)
            return
        self._signals.done.emit(str(self._path), image)


class ImageCache(QObject):
    """Pictures decoded off the GUI thread, kept by path for the rest of the run."""

    ready = Signal(str)
    """A picture's path: it is decoded now (or known to be unreadable)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._images: dict[str, QImage | None] = {}
        self._pending: set[str] = set()
        self._signals = _Decoded(self)
        self._signals.done.connect(self._done)

    def get(self, path: Path) -> QImage | None:
        """The picture if it is decoded; otherwise None, and decoding starts."""
        key = str(path)
        if key in self._images:
            return self._images[key]
        if key not in self._pending:
            self._pending.add(key)
            QThreadPool.globalInstance().start(_Decode(path, self._signals))
        return None

    def failed(self, path: Path) -> bool:
        key = str(path)
        return key in self._images and self._images[key] is None

    def _done(self, key: str, image: object) -> None:
        self._pending.discard(key)
        self._images[key] = image if isinstance(image, QImage) else None
        self.ready.emit(key)


_CACHE: ImageCache | None = None


def image_cache() -> ImageCache:
    """The one cache of the app's pictures."""
    global _CACHE  # noqa: PLW0603 - one per process, made on first use
    if _CACHE is None:
        _CACHE = ImageCache()
    return _CACHE


class FigurePanel(QWidget):
    """An exercise's figure or picture, still (a thumbnail) or following a session."""

    def __init__(
        self,
        source: Callable[[], SessionState] | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        """``source`` gives the session's current state for each frame of a movement."""
        super().__init__(parent)
        self._source = source
        self._exercise: Exercise | None = None
        self._frame: Frame | None = None
        self._large = True
        self._colours: Colours | None = None
        self._movie: QMovie | None = None
        self._movie_path: Path | None = None
        self._running = False
        self._frames = QTimer(self)
        self._frames.setInterval(FRAME_MS)
        self._frames.timeout.connect(self.refresh)
        self._wake = QTimer(self)
        self._wake.setSingleShot(True)
        self._wake.timeout.connect(self.refresh)
        image_cache().ready.connect(self._image_ready)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(48, 48)

    # --- what it shows ------------------------------------------------------------

    def show_exercise(self, exercise: Exercise | None, *, mirrored: bool = False) -> None:
        """A still picture of ``exercise`` (its figure's still pose, or its image)."""
        figure = figure_of(exercise)
        frame = None if figure is None else still_frame(figure, mirrored=mirrored)
        self._show(exercise, frame, large=True, running=False)

    def show_state(self, state: SessionState) -> None:
        """What the session screen shows for ``state``; moves while the session does."""
        picture = session_picture(state)
        self._show_picture(picture, running=state.status is SessionStatus.RUNNING)
        self._plan_frames(picture, state)

    def refresh(self) -> None:
        """Catch up with the session: the next frame of a movement."""
        if self._source is not None:
            self.show_state(self._source())

    def frame(self) -> Frame | None:
        """The figure's frame on screen (None for a picture, or nothing)."""
        return self._frame

    def exercise(self) -> Exercise | None:
        return self._exercise

    def is_large(self) -> bool:
        return self._large

    def animating(self) -> bool:
        """Whether frames are being asked for (a figure moving, or an animated picture)."""
        movie = self._movie is not None and self._movie.state() == QMovie.MovieState.Running
        return self._frames.isActive() or movie

    def waiting(self) -> bool:
        """Whether a still figure waits to move again later in the step (a held rep)."""
        return self._wake.isActive()

    def shows_placeholder(self) -> bool:
        """The exercise has a picture that cannot be shown (missing or broken)."""
        exercise = self._exercise
        if exercise is None or exercise.image is None or self._frame is not None:
            return False
        if self._movie is not None:
            return not self._movie.isValid()
        return image_cache().failed(exercise.image)

    def set_colours(self, colours: Colours) -> None:
        """Ink, paper and floor: the screen's text, background and secondary colours."""
        if colours != self._colours:
            self._colours = colours
            self.update()

    # --- how -------------------------------------------------------------------------

    def _show_picture(self, picture: Picture | None, *, running: bool) -> None:
        if picture is None:
            self._show(None, None, large=True, running=False)
        else:
            self._show(picture.exercise, picture.frame, large=picture.large, running=running)

    def _show(
        self, exercise: Exercise | None, frame: Frame | None, *, large: bool, running: bool
    ) -> None:
        changed = (exercise, frame, large) != (self._exercise, self._frame, self._large)
        self._exercise, self._frame, self._large = exercise, frame, large
        self._running = running
        shown = exercise if frame is None else None
        self._sync_movie(shown, running)
        if shown is not None and shown.image is not None and self._movie is None:
            image_cache().get(shown.image)  # starts reading it, off this thread
        if changed:
            self.update()

    def _plan_frames(self, picture: Picture | None, state: SessionState) -> None:
        frame = picture.frame if picture is not None else None
        running = state.status is SessionStatus.RUNNING and self._source is not None
        if frame is not None and frame.moving and running:
            if not self._frames.isActive():
                self._frames.start()
            self._wake.stop()
            return
        self._frames.stop()
        if frame is not None and running and frame.still_until is not None:
            wait = max(0.0, frame.still_until - state.elapsed_in_step)
            self._wake.start(max(1, int(wait * 1000)))
        else:
            self._wake.stop()

    def _sync_movie(self, exercise: Exercise | None, running: bool) -> None:
        path = exercise.image if exercise is not None else None
        animated = path is not None and path.suffix.lower() == ".gif"
        if not animated:
            self._drop_movie()
            return
        assert path is not None
        movie = self._movie
        if movie is None or self._movie_path != path:
            self._drop_movie()
            movie = QMovie(str(path), parent=self)
            if not movie.isValid():
                _log.warning("cannot show the picture %s: %s", path, movie.lastErrorString())
            movie.frameChanged.connect(lambda _number: self.update())
            self._movie, self._movie_path = movie, path
        if not movie.isValid():
            return
        # A thumbnail or a paused session shows the picture still.
        if running and movie.state() != QMovie.MovieState.Running:
            if movie.state() == QMovie.MovieState.Paused:
                movie.setPaused(False)
            else:
                movie.start()
        elif not running and movie.state() == QMovie.MovieState.Running:
            movie.setPaused(True)
        if movie.state() == QMovie.MovieState.NotRunning:
            movie.jumpToFrame(0)

    def _drop_movie(self) -> None:
        if self._movie is not None:
            self._movie.stop()
            self._movie.deleteLater()
        self._movie, self._movie_path = None, None

    def _image_ready(self, key: str) -> None:
        exercise = self._exercise
        if exercise is not None and exercise.image is not None and str(exercise.image) == key:
            self.update()

    # --- painting --------------------------------------------------------------------

    def _palette_colours(self) -> tuple[QColor, QColor, QColor]:
        if self._colours is not None:
            colours = self._colours
            return QColor(colours.text), QColor(colours.background), QColor(colours.secondary)
        palette = self.palette()
        return (
            palette.color(QPalette.ColorRole.WindowText),
            palette.color(QPalette.ColorRole.Window),
            palette.color(QPalette.ColorRole.PlaceholderText),
        )

    def _box(self) -> QRectF:
        margin = max(2.0, min(self.width(), self.height()) * 0.04)
        box = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
        if self._large:
            return box
        width, height = box.width() * SMALL_SHARE, box.height() * SMALL_SHARE
        return QRectF(box.center().x() - width / 2, box.center().y() - height / 2, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        exercise = self._exercise
        if exercise is None:
            return
        ink, paper, floor = self._palette_colours()
        painter = QPainter(self)
        try:
            box = self._box()
            if self._frame is not None:
                paint_frame(painter, box, self._frame, ink=ink, paper=paper, floor=floor)
                return
            image = self._current_image(exercise)
            if image is None or image.isNull():
                if self.shows_placeholder():
                    _paint_placeholder(painter, box, floor)
                return  # still being read: nothing yet, rather than a wrong placeholder
            size = image.size().scaled(box.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(
                box.center().x() - size.width() / 2,
                box.center().y() - size.height() / 2,
                size.width(),
                size.height(),
            )
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
        finally:
            painter.end()

    def _current_image(self, exercise: Exercise) -> QImage | None:
        if self._movie is not None:
            return self._movie.currentImage() if self._movie.isValid() else None
        if exercise.image is None:
            return None
        return image_cache().get(exercise.image)

    def sizeHint(self) -> QSize:
        return QSize(240, 240)


def _paint_placeholder(painter: QPainter, box: QRectF, colour: QColor) -> None:
    """An empty frame with a cross: there is a picture, and it cannot be shown."""
    side = min(box.width(), box.height()) * 0.5
    frame = QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(colour, max(1.0, side / 30), Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(frame, side / 12, side / 12)
    inset = frame.adjusted(side / 4, side / 4, -side / 4, -side / 4)
    painter.setPen(QPen(colour, max(1.0, side / 30)))
    painter.drawLine(inset.topLeft(), inset.bottomRight())
    painter.drawLine(inset.topRight(), inset.bottomLeft())
