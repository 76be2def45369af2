"""The session screens: what happens on Start, the timer driver, the views, the check-in."""
