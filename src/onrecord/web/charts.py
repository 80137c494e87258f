"""Bar charts drawn on the server as inline SVG geometry (no script, no CDN).

Each chart keeps its numbers, so the page can offer them as a table for screen readers
and for anyone who would rather read than look.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from onrecord.store.base import SpeakerShare

# Outlet colours, and a grey for the rest (dark enough for white labels, told apart by hue).
PALETTE = ("#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#a6761d",
           "#e6ab02")
OTHER = "#888888"


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    colour: str = PALETTE[0]


@dataclass
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    rows: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)  # the table
    legend: list[tuple[str, str]] = field(default_factory=list)  # (outlet, colour)
    labels: list[tuple[float, float, str]] = field(default_factory=list)  # (x, y, text)


def columns(title: str, items: list[tuple[str, int]], width: int = 640,
            height: int = 140) -> Chart:
    """One vertical bar per item (weeks, oldest first), as tall as its count."""
    chart = Chart(title, width, height + 20, rows=[(k, [("statements", v)]) for k, v in items])
    if not items:
        return chart
    top = max(v for _, v in items) or 1
    step = width / len(items)
    for i, (label, value) in enumerate(items):
        h = height * value / top
        chart.bars.append(Bar(label, value, round(i * step + step * 0.1, 1),
                              round(height - h, 1), round(min(max(step * 0.8, 1), 48), 1),
                              round(h, 1)))
    chart.labels.append((0, height + 15, items[0][0]))
    if len(items) > 1:
        chart.labels.append((width - 80, height + 15, items[-1][0]))
    return chart


def rows(title: str, items: list[tuple[str, int]], width: int = 560, bar: int = 22) -> Chart:
    """One horizontal bar per item (outlets, most first), labelled with name and count."""
    chart = Chart(title, width, len(items) * (bar + 6),
                  rows=[(k, [("statements", v)]) for k, v in items])
    top = max((v for _, v in items), default=1) or 1
    for i, (label, value) in enumerate(items):
        w = round(max(width * 0.6 * value / top, 2), 1)
        chart.bars.append(Bar(label, value, 0, i * (bar + 6), w, bar))
        chart.labels.append((w + 6, i * (bar + 6) + bar * 0.72, f"{label} ({value})"))
    return chart


def shares(title: str, people: list[SpeakerShare], width: int = 560, bar: int = 22) -> Chart:
    """One stacked bar per person, a segment per outlet, all on one scale."""
    outlets: list[str] = []
    for p in people:
        for name, _ in p.outlets:
            if name not in outlets:
                outlets.append(name)
    colours = {name: PALETTE[i] if i < len(PALETTE) else OTHER for i, name in enumerate(outlets)}
    chart = Chart(title, width, len(people) * (bar + 6),
                  rows=[(p.name, p.outlets) for p in people],
                  legend=[(name, colours[name]) for name in outlets[:len(PALETTE)]])
    top = max((p.statements for p in people), default=1) or 1
    for i, p in enumerate(people):
        x = 0.0
        for name, n in p.outlets:
            w = width * 0.6 * n / top
            chart.bars.append(Bar(f"{p.name}: {name}", n, round(x, 1), i * (bar + 6),
                                  round(max(w, 1), 1), bar, colours[name]))
            x += w
        chart.labels.append((round(x + 6, 1), i * (bar + 6) + bar * 0.72,
                             f"{p.name} ({p.statements})"))
    return chart
