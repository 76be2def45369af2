"""The built-in routine editor: text, live checks and a timeline preview."""
