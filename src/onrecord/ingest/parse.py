"""A page's HTML to one lxml tree whose element objects are cheap to make.

lxml.html picks each element's Python class (``FormElement``, ``InputElement``, ...) in
a Python callback every time lxml hands out an element object, and trafilatura's two
passes over their copies of the tree hand out hundreds of thousands: about a tenth of
the extraction time. Nothing in ingestion uses the form classes, so this parser makes
every element a plain ``HtmlElement``, chosen in C. Its steps are trafilatura's
``load_html`` (repair, then the bytes when the text does not parse), so the trees and
every output are the same.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import is_dubious_html, repair_faulty_html

_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                     remove_comments=True, remove_pis=True)  # trafilatura's settings
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction,
    entity=HtmlEntity))


def _parse(markup: str | bytes) -> HtmlElement | None:
    try:
        tree: HtmlElement = fromstring(markup, parser=_PARSER)
    except (ValueError, etree.LxmlError):  # an encoding declaration in a str; no document
        return None
    return tree


def parse_html(text: str) -> HtmlElement | None:
    """The page's tree, or None when the text is not HTML (as trafilatura decides)."""
    beginning = text[:50].lower()
    text = repair_faulty_html(text, beginning)
    tree = _parse(text)
    if tree is None or len(tree) < 1:
        tree = _parse(text.encode("utf8", "surrogatepass"))
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree
