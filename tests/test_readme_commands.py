"""The README's command table promises only what `--help` offers, and lists every command."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from onrecord.cli import build_parser

README = Path(__file__).resolve().parents[1] / "README.md"


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions
                  if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Commands"):].split("\n\n")[1]
    return [line for line in table.splitlines() if line.startswith("| `onrecord")]


def test_every_command_and_option_in_the_table_exists() -> None:
    commands = _subparsers()
    listed: set[str] = set()
    for row in _rows():
        usage = row.split("|")[1] if "\\|" not in row else row[: row.index("` |") + 1]
        names = re.findall(r"onrecord ((?:\w+)(?: / \w+)*)", usage)[0].split(" / ")
        listed.update(names)
        options = set(re.findall(r"(--[a-z][a-z-]*)", usage))
        for name in names:
            assert name in commands, f"README lists `onrecord {name}`, which --help has not"
            known = {o for a in commands[name]._actions for o in a.option_strings}
            assert options <= known, f"{name}: {sorted(options - known)} not in its --help"
        for fmt in re.findall(r"--format ([\w\\|]+)", usage):
            for name in names:
                choices = next(a.choices for a in commands[name]._actions
                               if "--format" in a.option_strings)
                assert set(fmt.split("\\|")) <= set(choices), (name, fmt)
    assert listed == set(commands), f"not in the README: {sorted(set(commands) - listed)}"
