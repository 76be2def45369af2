"""Pure-Python core: format, loader, timeline and session engine.

Nothing in this package imports Qt; ``tests/test_layering.py`` enforces it.
"""
