"""The desktop around the app: services of the platform it runs on (the screen-lock
inhibitor, the media keys' MPRIS player)."""
