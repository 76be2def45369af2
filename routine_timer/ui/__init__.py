"""The Qt widgets: the window, the session screens, the library, the history and the editor."""
