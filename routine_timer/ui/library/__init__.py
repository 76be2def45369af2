"""The library: every routine, bundled and the user's, with its timeline and Start."""
