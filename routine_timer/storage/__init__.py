"""Where the history is kept: an SQLite file in the user's data folder.

Standard library ``sqlite3`` only; the path is always passed in, and nothing
here imports Qt.

- :mod:`~routine_timer.storage.db` opens, upgrades and if need be moves aside the file;
- :mod:`~routine_timer.storage.history` records and reads sessions (``HistoryStore``);
- :mod:`~routine_timer.storage.rows` turns raw rows into records, or says why one is damaged;
- :mod:`~routine_timer.storage.recorder` turns engine events into history writes;
- :mod:`~routine_timer.storage.owners` tells a live recorder from a dead one;
- :mod:`~routine_timer.storage.export` writes the history as JSON, CSV or a table;
- :mod:`~routine_timer.storage.backcare` keeps morning checks, red flags and suggestions;
- :mod:`~routine_timer.storage.report` gathers the back-care report's content.
"""
