"""Turning inputs (files, stdin, and later pages, feeds, crawls) into article texts."""
