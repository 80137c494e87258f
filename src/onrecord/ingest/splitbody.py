"""Article bodies that a page splits into several containers.

Some sites break the body into sibling containers of one class around mid-article ads
(a grid row for the text, a row for the ad, a grid row for more text). trafilatura reads
the first container its content XPath finds and loses the rest of the article, with
every quote in it. Containers of the same tag and class, none inside another, whose
common ancestor is a few levels up, are one body: their children are moved into the
first before extraction.
"""

from __future__ import annotations

from collections import Counter

from lxml.html import HtmlElement
from trafilatura.xpaths import BODY_XPATH

MAX_LEVELS_UP = 3  # the split rows' common ancestor is this close to each container
MIN_PARAGRAPHS = 2  # a part of the body holds this many paragraphs of running text
PARAGRAPH_CHARS = 80


def _close_kin(first: HtmlElement, other: HtmlElement) -> bool:
    """Same tag and class, disjoint, and a common ancestor within MAX_LEVELS_UP of both."""
    if other.tag != first.tag or other.get("class") != first.get("class"):
        return False
    up_first, up_other = list(first.iterancestors()), list(other.iterancestors())
    if other in up_first or first in up_other:
        return False
    if len(up_first) != len(up_other):
        return False
    return any(a is b for a, b in zip(up_first[:MAX_LEVELS_UP], up_other[:MAX_LEVELS_UP],
                                      strict=False))


def _running_text(el: HtmlElement) -> bool:
    """Paragraphs of prose, not a promo line, a card or a caption."""
    long = [p for p in el.iter("p") if len(p.text_content().strip()) >= PARAGRAPH_CHARS]
    return len(long) >= MIN_PARAGRAPHS


def _repeated_holders(tree: HtmlElement) -> bool:
    """Whether two close kin (``_close_kin``) each hold running text: what a split body
    needs, found without the content XPath that would cost more on every page."""
    held: Counter[HtmlElement] = Counter()
    kin: dict[HtmlElement, tuple[int, HtmlElement]] = {}  # depth, ancestor MAX_LEVELS_UP up
    for p in tree.iter("p"):
        if len(p.text_content().strip()) >= PARAGRAPH_CHARS:
            chain = [p, *p.iterancestors()]
            held.update(chain)
            kin.update((el, (len(chain) - i, chain[min(i + MAX_LEVELS_UP, len(chain) - 1)]))
                       for i, el in enumerate(chain))
    kinds = Counter((el.tag, el.get("class"), *kin[el]) for el, n in held.items()
                    if n >= MIN_PARAGRAPHS and el.get("class"))
    return any(n > 1 for n in kinds.values())


def split_parts(tree: HtmlElement) -> tuple[HtmlElement, list[HtmlElement]] | None:
    """The container trafilatura reads first (an article-body class) and the later parts of
    the same body, each holding running text of its own; None when the body is whole."""
    if not _repeated_holders(tree):
        return None
    first = next((el for el in BODY_XPATH[0](tree) if isinstance(el, HtmlElement)), None)
    if first is None or not first.get("class") or not _running_text(first):
        return None
    parts = [el for el in tree.iter(first.tag)
             if el is not first and _close_kin(first, el) and _running_text(el)]
    return (first, parts) if parts else None


def join_split_body(tree: HtmlElement) -> bool:
    """Move the later parts of a split body into its first part; whether there were any."""
    found = split_parts(tree)
    if found is None:
        return False
    first, parts = found
    for part in parts:
        parent = part.getparent()
        if parent is None:
            continue
        for child in list(part):
            first.append(child)
        parent.remove(part)
    return True
