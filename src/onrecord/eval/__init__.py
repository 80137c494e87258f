"""Scoring onrecord against gold attribution data (PolNeAR)."""
