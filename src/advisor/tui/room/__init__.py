"""Presenter mode: the app's side of a room (the server's side is advisor/serve/hub.py)."""
