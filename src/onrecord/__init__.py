"""onrecord: who said what in the news, every fact pinned to its text."""
__version__ = "0.1.0"
