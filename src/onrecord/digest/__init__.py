"""The daily briefing: top stories with summaries, quotes, figures and cross-source checks."""
