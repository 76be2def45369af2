"""One home for the tests' stand-ins: clocks, routines, fakes and the window harness.

Each kind of fake lives here once, so a test reads the same stand-in whatever
part of the package it tests, and a change to the real thing is mirrored in
one place. Nothing here imports Qt except :mod:`tests.helpers.fakes` (cue
players and sounds), :mod:`tests.helpers.window` and :mod:`tests.helpers.editor`.
"""
