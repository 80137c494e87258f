"""The web app and JSON API (``onrecord serve``)."""
