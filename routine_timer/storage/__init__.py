"""Where the history is kept: an SQLite file in the user's data folder.

Standard library ``sqlite3`` only; the path is always passed in, and nothing
here imports Qt. :mod:`routine_timer.storage.db` opens and upgrades the file,
:mod:`routine_timer.storage.history` records and reads sessions.
"""
