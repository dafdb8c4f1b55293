"""The home page: who is late on what, as of today."""
