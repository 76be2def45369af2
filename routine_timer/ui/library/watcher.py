"""Notice when the user's routine files change on disk, whichever editor saved them.

Editors save in different ways: some write the file in place, some write a
new file and rename it over the old one (which leaves a watch on the old,
deleted file), some delete and re-create. The watcher therefore watches the
folder, every sub-folder and every routine file, and after each change puts
watches back on whatever exists now. A save is often several events in a row,
so they are gathered for a short while and reported as one ``changed``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from routine_timer.core.library import ROUTINE_SUFFIXES

DEFAULT_DELAY_MS = 300
"""How long the folder must stay quiet before ``changed`` is emitted."""


class RoutineFolderWatcher(QObject):
    """Watches a routines folder (recursively) and says when anything in it changed.

    The folder need not exist yet: its nearest existing parent is watched
    until it appears.
    """

    changed = Signal()
    """Emitted once per burst of changes, ``delay_ms`` after the last one."""

    def __init__(
        self, folder: Path, parent: QObject | None = None, *, delay_ms: int = DEFAULT_DELAY_MS
    ) -> None:
        super().__init__(parent)
        self._folder = folder
        self._watcher = QFileSystemWatcher(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._settled)
        self._watcher.directoryChanged.connect(self._on_directory_changed)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._existed = folder.is_dir()
        self._sync()

    @property
    def folder(self) -> Path:
        return self._folder

    def watched_paths(self) -> set[Path]:
        """Every file and folder watched right now."""
        return {Path(p) for p in [*self._watcher.directories(), *self._watcher.files()]}

    def stop(self) -> None:
        """Stop watching; no more ``changed`` signals."""
        self._timer.stop()
        paths = [*self._watcher.directories(), *self._watcher.files()]
        if paths:
            self._watcher.removePaths(paths)
        self._watcher.blockSignals(True)

    # -- events --------------------------------------------------------------

    def _on_directory_changed(self, _path: str) -> None:
        # New sub-folders are watched at once, so files saved into them
        # during the same burst are noticed too.
        self._sync()
        self._timer.start()

    def _on_file_changed(self, path: str) -> None:
        # A file replaced by a rename keeps its name, but a watch follows the
        # old file. Qt drops the watch when it sees the old file go; not every
        # platform reports that, so the name is watched afresh here.
        if path in self._watcher.files():
            self._watcher.removePath(path)
        self._sync()
        self._timer.start()

    def _settled(self) -> None:
        self._sync()
        exists = self._folder.is_dir()
        existed, self._existed = self._existed, exists
        # While only a parent is watched, its other files (the history
        # database, say) come and go without concerning the routines.
        if exists or existed:
            self.changed.emit()

    # -- keeping the watches in step with the disk ---------------------------

    def _wanted(self) -> set[str]:
        folder = self._folder
        if not folder.is_dir():
            # Watch the nearest existing parent, to see the folder appear.
            parent = folder.parent
            while not parent.is_dir() and parent != parent.parent:
                parent = parent.parent
            return {str(parent)} if parent.is_dir() else set()
        wanted = {str(folder)}
        try:
            for path in folder.rglob("*"):
                if path.is_dir() or (path.suffix.lower() in ROUTINE_SUFFIXES and path.is_file()):
                    wanted.add(str(path))
        except OSError:  # a folder vanished while being listed; the next event tidies up
            pass
        return wanted

    def _sync(self) -> None:
        wanted = self._wanted()
        current = {*self._watcher.directories(), *self._watcher.files()}
        gone = sorted(current - wanted)
        if gone:
            self._watcher.removePaths(gone)
        new = sorted(wanted - current)
        if new:
            self._watcher.addPaths(new)
