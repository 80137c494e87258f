"""Article bodies that a page splits into several containers.

Some sites break the body into sibling containers of one class around mid-article ads
(a grid row for the text, a row for the ad, a grid row for more text). trafilatura reads
the first container its content XPath finds and loses the rest of the article, with
every quote in it. Containers of the same tag and class, none inside another, whose
common ancestor is a few levels up, are one body: their children are moved into the
first before extraction.
"""

from __future__ import annotations

from lxml.html import HtmlElement
from trafilatura.xpaths import BODY_XPATH

MAX_LEVELS_UP = 3  # the split rows' common ancestor is this close to each container


def _ancestors(el: HtmlElement) -> list[HtmlElement]:
    return list(el.iterancestors())


def _close_kin(first: HtmlElement, other: HtmlElement) -> bool:
    """Same tag and class, disjoint, and a common ancestor within MAX_LEVELS_UP of both."""
    if other.tag != first.tag or other.get("class") != first.get("class"):
        return False
    up_first, up_other = _ancestors(first), _ancestors(other)
    if other in up_first or first in up_other:
        return False
    if len(up_first) != len(up_other):
        return False
    return any(a is b for a, b in zip(up_first[:MAX_LEVELS_UP], up_other[:MAX_LEVELS_UP],
                                      strict=False))


def join_split_body(tree: HtmlElement) -> int:
    """Move the later parts of a split body into its first part; how many parts were joined."""
    for expr in BODY_XPATH:
        first = next((el for el in expr(tree) if isinstance(el, HtmlElement)), None)
        if first is None:
            continue
        if not first.get("class"):
            return 0
        parts = [el for el in tree.iter(first.tag) if el is not first and _close_kin(first, el)]
        for part in parts:
            if part.getparent() is None:
                continue
            for child in list(part):
                first.append(child)
            part.getparent().remove(part)
        return len(parts)
    return 0
