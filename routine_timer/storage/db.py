"""Open the history database: settings, schema upgrades and damaged files.

The file is a plain SQLite database. Its schema version lives in
``PRAGMA user_version``; :data:`MIGRATIONS` lists the forward steps from an
empty file, and an older file is upgraded in place, inside one transaction
per step, so an interrupted upgrade leaves the previous version intact.

A file that SQLite cannot read as a database (not a database at all, or a
malformed one) is never overwritten: it is moved aside with its ``-wal`` and
``-shm`` companions to ``<name>.corrupt-YYYYmmdd-HHMMSS`` and a fresh file is
started. :func:`open_database` says so through :class:`MovedAside`, which the
window and the command line show to the user. Opening reads only the pages
every query needs; damage found later, deep in the file, leaves a
``<name>.damaged`` mark (:func:`note_damage`) so the next opening runs a full
check and moves the file aside then.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from routine_timer.storage.rows import decode_text

log = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 10.0
"""How long a writer waits for another app instance to finish its write.

Writes are single small transactions (well under a millisecond each), so ten
seconds is only ever reached when something is truly stuck.
"""

# SQLite primary result codes (the low byte of an extended code).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

_COMPANIONS = ("-wal", "-shm", "-journal")
_HEADER = b"SQLite format 3\x00"


def completion_sql(row: str) -> str:
    """SQL for how much of its routine one session row did (NEW, OLD or a table name).

    Counted in exercise steps when the plan's step count is known: steps done
    (not skipped) over steps planned. Skipping rests or a long pause does not
    lower it, and an untimed exercise counts as much as a timed one. Older
    sessions without a step count fall back to active time over planned time;
    a plan of zero timed seconds counts 1 when completed, else 0. The one
    definition of the figure: the totals and the exports both use it.
    """
    return (
        f"CASE WHEN {row}.planned_steps > 0"
        f" THEN min(1.0, {row}.steps_done * 1.0 / {row}.planned_steps)"
        f" WHEN {row}.planned_seconds > 0 AND {row}.active_seconds IS NOT NULL"
        f" THEN min(1.0, {row}.active_seconds / {row}.planned_seconds)"
        f" WHEN {row}.status = 'completed' THEN 1.0 ELSE 0.0 END"
    )


def _totals_select(table: str) -> str:
    """Totals of finished sessions from ``table``, grouped by the caller."""
    return (
        f"SELECT local_day, routine_id, routine_name, max(started_at), count(*),"
        f" sum(status = 'completed'), total(active_seconds),"
        f" total(pain_before), count(pain_before), total(pain_after), count(pain_after),"
        f" total({completion_sql(table)})"
        f" FROM {table} WHERE status != 'running'"
    )


def _add_to_totals() -> str:
    # INSERT ... SELECT needs its WHERE before ON CONFLICT (SQLite's parser).
    return f"""INSERT INTO day_totals SELECT NEW.local_day, NEW.routine_id, NEW.routine_name,
            NEW.started_at, 1, NEW.status = 'completed', coalesce(NEW.active_seconds, 0),
            coalesce(NEW.pain_before, 0), NEW.pain_before IS NOT NULL,
            coalesce(NEW.pain_after, 0), NEW.pain_after IS NOT NULL, {completion_sql("NEW")}
        WHERE NEW.status != 'running'
        ON CONFLICT (day, routine_id) DO UPDATE SET
            sessions = sessions + 1,
            completed = completed + excluded.completed,
            active_seconds = active_seconds + excluded.active_seconds,
            pain_before_sum = pain_before_sum + excluded.pain_before_sum,
            pain_before_count = pain_before_count + excluded.pain_before_count,
            pain_after_sum = pain_after_sum + excluded.pain_after_sum,
            pain_after_count = pain_after_count + excluded.pain_after_count,
            completion_sum = completion_sum + excluded.completion_sum,
            routine_name = CASE WHEN excluded.last_started >= last_started
                THEN excluded.routine_name ELSE routine_name END,
            last_started = max(last_started, excluded.last_started);"""


def _take_from_totals() -> str:
    group = "day = OLD.local_day AND routine_id = OLD.routine_id"
    return f"""UPDATE day_totals SET
            sessions = sessions - 1,
            completed = completed - (OLD.status = 'completed'),
            active_seconds = active_seconds - coalesce(OLD.active_seconds, 0),
            pain_before_sum = pain_before_sum - coalesce(OLD.pain_before, 0),
            pain_before_count = pain_before_count - (OLD.pain_before IS NOT NULL),
            pain_after_sum = pain_after_sum - coalesce(OLD.pain_after, 0),
            pain_after_count = pain_after_count - (OLD.pain_after IS NOT NULL),
            completion_sum = completion_sum - {completion_sql("OLD")}
        WHERE {group} AND OLD.status != 'running';
        DELETE FROM day_totals WHERE {group} AND sessions <= 0;
        UPDATE day_totals SET (last_started, routine_name) = (
            SELECT started_at, routine_name FROM sessions
            WHERE local_day = OLD.local_day AND routine_id = OLD.routine_id
                AND status != 'running' ORDER BY started_at DESC LIMIT 1)
        WHERE {group} AND OLD.status != 'running';"""


_DAY_SUMS = (
    "sessions,completed,active_seconds,"
    "pain_before_sum,pain_before_count,pain_after_sum,pain_after_count"
)
"""The columns of day_totals that daily_totals adds up per day."""
_ROUTINE_SUMS = "sessions,completed,completion_sum"
"""The columns of day_totals that routine_totals adds up per routine."""


def _sums(columns: str, template: str) -> str:
    """``template`` filled with each of ``columns``, joined by commas."""
    return ", ".join(template.format(column) for column in columns.split(","))


def _latest_of_routine(row: str) -> str:
    # Taking a session out can lower a routine's last start, which no sum can undo.
    return f"""UPDATE routine_totals SET (last_started, routine_name) = (
            SELECT last_started, routine_name FROM day_totals
            WHERE routine_id = {row}.routine_id ORDER BY last_started DESC LIMIT 1)
        WHERE routine_id = {row}.routine_id;"""


# Each entry upgrades the schema by one version; entry N-1 takes a file from
# version N-1 to N. Never edit a released entry: add a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # v1: sessions and the steps recorded as they end.
    (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            routine_id TEXT NOT NULL,
            routine_name TEXT NOT NULL,
            routine_sha256 TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'completed', 'stopped', 'abandoned')),
            planned_seconds REAL NOT NULL,
            active_seconds REAL,
            paused_seconds REAL
        )""",
        """CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            step_index INTEGER NOT NULL,
            kind TEXT NOT NULL,
            exercise TEXT,
            set_number INTEGER,
            side TEXT,
            planned_seconds REAL NOT NULL,
            actual_seconds REAL NOT NULL,
            skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1)),
            ended_at TEXT NOT NULL
        )""",
        "CREATE INDEX steps_by_session ON steps(session_id)",
    ),
    # v2: the back check-in (pain before/after, effort, note, "stopped: pain").
    (
        "ALTER TABLE sessions ADD COLUMN pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10)",
        "ALTER TABLE sessions ADD COLUMN pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10)",
        "ALTER TABLE sessions ADD COLUMN rpe INTEGER CHECK (rpe BETWEEN 1 AND 10)",
        "ALTER TABLE sessions ADD COLUMN note TEXT",
        "ALTER TABLE steps ADD COLUMN stopped_for_pain INTEGER NOT NULL DEFAULT 0"
        " CHECK (stopped_for_pain IN (0, 1))",
    ),
    # v3: what the history view needs without reading every step, and who is
    # recording a running session (so only dead recorders' sessions are
    # marked abandoned).
    (
        "ALTER TABLE sessions ADD COLUMN planned_steps INTEGER",
        "ALTER TABLE sessions ADD COLUMN steps_done INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sessions ADD COLUMN steps_skipped INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sessions ADD COLUMN owner TEXT",
        """UPDATE sessions SET
            steps_done = (SELECT count(*) FROM steps WHERE steps.session_id = sessions.id
                          AND steps.kind IN ('work', 'manual') AND steps.skipped = 0),
            steps_skipped = (SELECT count(*) FROM steps WHERE steps.session_id = sessions.id
                             AND steps.kind IN ('work', 'manual') AND steps.skipped = 1)""",
        "CREATE INDEX sessions_by_start ON sessions(started_at)",
        "CREATE INDEX running_sessions ON sessions(status) WHERE status = 'running'",
    ),
    # v4: per day and routine totals of finished sessions, kept up to date by
    # triggers, so every progress figure reads a few thousand rows instead of
    # every session. The day is the local date where the session was done.
    (
        "ALTER TABLE sessions ADD COLUMN local_day TEXT NOT NULL DEFAULT ''",
        "UPDATE sessions SET local_day = date(started_at, 'localtime')",
        "CREATE INDEX sessions_by_day ON sessions(local_day, routine_id)",
        """CREATE TABLE day_totals (
            day TEXT NOT NULL,
            routine_id TEXT NOT NULL,
            routine_name TEXT NOT NULL,
            last_started TEXT NOT NULL,
            sessions INTEGER NOT NULL,
            completed INTEGER NOT NULL,
            active_seconds REAL NOT NULL,
            pain_before_sum INTEGER NOT NULL,
            pain_before_count INTEGER NOT NULL,
            pain_after_sum INTEGER NOT NULL,
            pain_after_count INTEGER NOT NULL,
            completion_sum REAL NOT NULL,
            PRIMARY KEY (day, routine_id)
        ) WITHOUT ROWID""",
        "INSERT INTO day_totals " + _totals_select("sessions") + " GROUP BY local_day, routine_id",
        f"""CREATE TRIGGER day_totals_insert AFTER INSERT ON sessions
            WHEN NEW.status != 'running'
            BEGIN {_add_to_totals()} END""",
        f"""CREATE TRIGGER day_totals_update AFTER UPDATE ON sessions
            WHEN OLD.status != 'running' OR NEW.status != 'running'
            BEGIN {_take_from_totals()} {_add_to_totals()} END""",
        f"""CREATE TRIGGER day_totals_delete AFTER DELETE ON sessions
            WHEN OLD.status != 'running'
            BEGIN {_take_from_totals()} END""",
    ),
    # v5: the same totals added up per day and per routine, kept up to date by
    # triggers on day_totals, so the progress view reads a row per day and one per
    # routine instead of grouping every day-and-routine row each time it opens
    # (21,912 rows for 12 routines over five years: 140 ms, now a few ms).
    (
        f"""CREATE TABLE daily_totals (
            day TEXT PRIMARY KEY,
            {_DAY_SUMS.replace(",", " NOT NULL,")} NOT NULL
        ) WITHOUT ROWID""",
        f"""CREATE TABLE routine_totals (
            routine_id TEXT PRIMARY KEY,
            routine_name TEXT NOT NULL,
            last_started TEXT NOT NULL,
            {_ROUTINE_SUMS.replace(",", " NOT NULL,")} NOT NULL
        ) WITHOUT ROWID""",
        "CREATE INDEX day_totals_by_routine ON day_totals(routine_id, last_started)",
        f"INSERT INTO daily_totals SELECT day, {_sums(_DAY_SUMS, 'sum({})')}"
        " FROM day_totals GROUP BY day",
        "INSERT INTO routine_totals SELECT routine_id, routine_name, max(last_started),"
        f" {_sums(_ROUTINE_SUMS, 'sum({})')} FROM day_totals GROUP BY routine_id",
        f"""CREATE TRIGGER daily_and_routine_totals_insert AFTER INSERT ON day_totals
            BEGIN
            INSERT INTO daily_totals VALUES (NEW.day, {_sums(_DAY_SUMS, "NEW.{}")})
            ON CONFLICT (day) DO UPDATE SET {_sums(_DAY_SUMS, "{0} = {0} + excluded.{0}")};
            INSERT INTO routine_totals VALUES (NEW.routine_id, NEW.routine_name,
                NEW.last_started, {_sums(_ROUTINE_SUMS, "NEW.{}")})
            ON CONFLICT (routine_id) DO UPDATE SET
                {_sums(_ROUTINE_SUMS, "{0} = {0} + excluded.{0}")},
                routine_name = CASE WHEN excluded.last_started >= last_started
                    THEN excluded.routine_name ELSE routine_name END,
                last_started = max(last_started, excluded.last_started);
            END""",
        f"""CREATE TRIGGER daily_and_routine_totals_update AFTER UPDATE ON day_totals
            BEGIN
            UPDATE daily_totals SET {_sums(_DAY_SUMS, "{0} = {0} + NEW.{0} - OLD.{0}")}
                WHERE day = NEW.day;
            UPDATE routine_totals SET {_sums(_ROUTINE_SUMS, "{0} = {0} + NEW.{0} - OLD.{0}")}
                WHERE routine_id = NEW.routine_id;
            {_latest_of_routine("NEW")}
            END""",
        f"""CREATE TRIGGER daily_and_routine_totals_delete AFTER DELETE ON day_totals
            BEGIN
            UPDATE daily_totals SET {_sums(_DAY_SUMS, "{0} = {0} - OLD.{0}")}
                WHERE day = OLD.day;
            DELETE FROM daily_totals WHERE day = OLD.day AND sessions <= 0;
            UPDATE routine_totals SET {_sums(_ROUTINE_SUMS, "{0} = {0} - OLD.{0}")}
                WHERE routine_id = OLD.routine_id;
            DELETE FROM routine_totals WHERE routine_id = OLD.routine_id AND sessions <= 0;
            {_latest_of_routine("OLD")}
            END""",
    ),
    # v6: which variation of an exercise a step was (format 2: easier or harder,
    # picked in the session); NULL for the exercise as written.
    ("ALTER TABLE steps ADD COLUMN variant TEXT CHECK (variant IN ('easier', 'harder'))",),
    # v7: back care (docs/back-care.md): the next-morning check, one answer per
    # local day; each answering of the red-flag questions (NULL: not answered);
    # and the suggestion each finished session showed, with the runner's answer.
    (
        """CREATE TABLE morning_checks (
            day TEXT PRIMARY KEY,
            answer TEXT NOT NULL CHECK (answer IN ('better', 'same', 'worse')),
            answered_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE red_flag_checks (
            id INTEGER PRIMARY KEY,
            answered_at TEXT NOT NULL,
            local_day TEXT NOT NULL,
            session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
            why TEXT NOT NULL CHECK (why IN ('first-start', 'pain-high', 'pain-rose', 'asked')),
            saddle INTEGER CHECK (saddle IN (0, 1)),
            bladder_bowel INTEGER CHECK (bladder_bowel IN (0, 1)),
            legs INTEGER CHECK (legs IN (0, 1)),
            leg_pain INTEGER CHECK (leg_pain IN (0, 1))
        )""",
        "CREATE INDEX red_flag_checks_by_day ON red_flag_checks(local_day)",
        """CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
            routine_id TEXT NOT NULL,
            shown_at TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('progress', 'hold', 'step-back', 'stop')),
            rule TEXT NOT NULL,
            text TEXT NOT NULL,
            level TEXT NOT NULL,
            change TEXT NOT NULL DEFAULT '',
            target_routine TEXT,
            target_variant TEXT CHECK (target_variant IN ('easier', 'harder')),
            answer TEXT CHECK (answer IN ('accepted', 'declined')),
            answered_at TEXT
        )""",
        "CREATE INDEX suggestions_by_routine ON suggestions(routine_id, shown_at)",
    ),
    # v8: the steps stopped for pain, by session. ``history --json`` tells for every
    # session whether one of its steps was; without this, SQLite reads each of the
    # session's steps to find out (2 million rows for 100,000 sessions: about 1 s
    # of a 1.5 s export). Such steps are rare, so the index is small.
    ("CREATE INDEX steps_stopped_for_pain ON steps(session_id) WHERE stopped_for_pain = 1",),
)

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this code writes (``PRAGMA user_version``)."""


class HistoryError(Exception):
    """The history cannot be read or written; ``str()`` is a message for the user."""


@dataclass(frozen=True, slots=True)
class MovedAside:
    """A damaged history file that was moved aside and replaced by a fresh one."""

    original: Path
    moved_to: Path
    """Where the damaged file is now; nothing in it was deleted."""
    companions: tuple[Path, ...]
    """Its ``-wal``/``-shm`` files, moved beside it under the same new name."""
    reason: str
    """What SQLite said about the file."""

    @property
    def message(self) -> str:
        """A sentence for the user: what happened and where the old file went."""
        return (
            f"The history file {self.original} could not be read ({self.reason}). "
            f"It was moved to {self.moved_to} and a new, empty history was started."
        )


@dataclass(frozen=True, slots=True)
class OpenedDatabase:
    """A ready connection, and the damaged file it replaced, if any."""

    connection: sqlite3.Connection
    moved_aside: MovedAside | None = None


def open_database(
    path: str | os.PathLike[str], *, now: Callable[[], datetime] = datetime.now
) -> OpenedDatabase:
    """Open the history database, moving a damaged file aside if needed.

    ``now`` gives the local time used in the moved-aside name.
    Raises :class:`HistoryError` when the file or its folder cannot be used.
    """
    db_path = Path(path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HistoryError(
            f"Cannot create the data folder {db_path.parent}: {error.strerror or error}."
        ) from error
    if db_path.exists() and not db_path.is_file():
        raise HistoryError(f"The history path {db_path} exists but is not a file.")
    reason = _not_a_database(db_path)
    if reason is None:
        try:
            connection = _open_checked(db_path)
            reason = _check_if_damage_was_seen(db_path, connection)
            if reason is None:
                return OpenedDatabase(connection)
            connection.close()
        except sqlite3.DatabaseError as error:
            if not is_damaged(error):
                raise history_error(error, db_path) from error
            reason = str(error)
    moved = move_aside(db_path, reason, now())
    damage_marker(db_path).unlink(missing_ok=True)
    log.warning("%s", moved.message)
    try:
        return OpenedDatabase(_open_checked(db_path), moved)
    except sqlite3.DatabaseError as error:
        raise history_error(error, db_path) from error


def damage_marker(path: Path) -> Path:
    """The file that says damage was met in ``path`` while it was in use."""
    return path.with_name(path.name + ".damaged")


def note_damage(path: Path) -> None:
    """Remember that SQLite found ``path`` damaged, for the next opening.

    Damage deep inside the file only shows when that part is read, and a
    full check on every opening would cost seconds on a long history, so
    the check is run when this marker says it is needed.
    """
    try:
        damage_marker(path).touch()
    except OSError:
        log.warning("cannot write %s", damage_marker(path))


def _check_if_damage_was_seen(path: Path, connection: sqlite3.Connection) -> str | None:
    marker = damage_marker(path)
    if not marker.exists():
        return None
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check(3)")]
    except BaseException:
        connection.close()
        raise
    if problems == ["ok"]:
        marker.unlink(missing_ok=True)
        return None
    return f"it failed its integrity check: {problems[0]}"


def _not_a_database(path: Path) -> str | None:
    """Why ``path`` is certainly not an SQLite database, judged by its header.

    Checked before SQLite opens the file, because SQLite may discard a
    ``-wal`` file it cannot make sense of, and that file goes aside too.
    """
    try:
        with path.open("rb") as file:
            header = file.read(len(_HEADER))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise HistoryError(f"Cannot read the history file {path}: {error.strerror}.") from error
    if header and header != _HEADER:
        return "file is not a database"
    return None


def is_damaged(error: sqlite3.Error) -> bool:
    """True when SQLite says the file is not a database or is malformed."""
    return _primary_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def history_error(error: sqlite3.Error, path: Path) -> HistoryError:
    """Turn an SQLite error into a :class:`HistoryError` a person can act on."""
    code = _primary_code(error)
    if code == _SQLITE_FULL:
        text = "the disk is full. Free some space; the sessions already saved are kept"
    elif code in (_SQLITE_READONLY, _SQLITE_PERM):
        text = f"the file or its folder {path.parent} is read-only"
    elif code == _SQLITE_CANTOPEN:
        text = f"the file cannot be opened (is the folder {path.parent} writable?)"
    elif code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        text = "another program kept it locked for too long"
    elif code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        text = (
            "the file is damaged. It will be moved aside, and a new one started,"
            " the next time routine-timer opens it"
        )
    elif code == _SQLITE_IOERR:
        text = f"the disk reported an input/output error ({error})"
    else:
        text = str(error)
    return HistoryError(f"Cannot save or read the history in {path}: {text}.")


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _open_checked(path: Path) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; every write below opens
    # BEGIN IMMEDIATE itself, so a second app instance waits for the write lock
    # (busy timeout) instead of failing with "database is locked" on upgrade
    # from a read to a write transaction.
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    # Text that is not UTF-8 would fail the whole query; this hands it out as
    # bytes, which reading rows reports as one damaged value.
    connection.text_factory = decode_text
    try:
        # Reading the header and the schema is where a non-database or a
        # damaged first page shows up; do it before changing anything.
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _use_wal(connection)
        # WAL + synchronous=NORMAL: a commit is durable against the app being
        # killed (the WAL is in the OS page cache), and only a power loss or
        # OS crash can lose the last few transactions - never corrupt the file.
        # FULL would fsync on every step and cost milliseconds per step.
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        migrate(connection)
        # Touch both tables' b-trees: a malformed root page fails here, at
        # open time, rather than in the middle of a session.
        connection.execute("SELECT max(id) FROM sessions").fetchone()
        connection.execute("SELECT max(id) FROM steps").fetchone()
    except BaseException:
        connection.close()
        raise
    return connection


def _use_wal(connection: sqlite3.Connection) -> None:
    """Put the file in WAL mode, waiting for another instance doing the same.

    Leaving the rollback journal needs the exclusive lock. When two processes
    open a new file at once, each holds a shared lock and asks for it, and
    SQLite answers one of them "database is locked" at once rather than call
    the busy handler (waiting could deadlock); by then the other is about to
    finish, so the answer is to ask again, for as long as the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as error:
            if _primary_code(error) != _SQLITE_BUSY or time.monotonic() >= deadline:
                raise
        time.sleep(0.005)


def schema_version(connection: sqlite3.Connection) -> int:
    """The file's ``PRAGMA user_version``."""
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(connection: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Upgrade the schema to ``target``, one transaction per version; return it.

    Safe when two app instances open an old file at once: the version is
    read again once the write lock is held, so each step runs exactly once.
    """
    if schema_version(connection) > SCHEMA_VERSION:
        raise HistoryError(
            f"The history file was written by a newer version of routine-timer "
            f"(schema {schema_version(connection)}, this version knows {SCHEMA_VERSION}). "
            "Update routine-timer to open it."
        )
    while (version := schema_version(connection)) < target:
        with write_transaction(connection):
            version = schema_version(connection)
            if version >= target:
                break
            for statement in MIGRATIONS[version]:
                connection.execute(statement)
            # PRAGMA takes no parameters; the value is our own integer.
            connection.execute(f"PRAGMA user_version = {version + 1}")
    return schema_version(connection)


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back if anything fails.

    Taking the write lock up front is what lets the busy timeout work when
    another instance is writing.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        # SQLite may already have rolled back (e.g. after SQLITE_FULL).
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def checkpoint(connection: sqlite3.Connection) -> bool:
    """Copy every committed write from the ``-wal`` file into the database file.

    In WAL mode a commit only appends to ``<name>-wal``; SQLite copies it into
    the database file itself at its own pace (every 1,000 pages) and when the
    last connection closes. A killed app never closes, so a backup or a sync
    of the database file alone would miss everything since: on a new file,
    even the tables. PASSIVE never waits for another instance, so the end of
    a session is not held up; what a reader still uses is copied next time.
    Returns True when nothing is left only in the ``-wal`` file.
    """
    busy, frames, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return bool(busy == 0 and frames == copied)


def move_aside(path: Path, reason: str, when: datetime) -> MovedAside:
    """Rename a damaged database (and its companions) out of the way.

    The new name never replaces an existing file: a numeric suffix is added
    if a file of that name is already there.
    """
    stamp = when.strftime("%Y%m%d-%H%M%S")
    base = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while any(Path(f"{base}{suffix}").exists() for suffix in ("", *_COMPANIONS)):
        number += 1
        base = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    companions: list[Path] = []
    try:
        if path.exists():
            path.rename(base)
        for suffix in _COMPANIONS:
            companion = Path(f"{path}{suffix}")
            if companion.exists():
                target = Path(f"{base}{suffix}")
                companion.rename(target)
                companions.append(target)
    except OSError as error:
        raise HistoryError(
            f"The history file {path} could not be read ({reason}) and could not be "
            f"moved aside: {error.strerror or error}."
        ) from error
    return MovedAside(path, base, tuple(companions), reason)
