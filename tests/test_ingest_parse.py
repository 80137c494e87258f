"""The page parser: trafilatura's tree, with element classes chosen in C."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from onrecord.ingest.parse import parse_html

PAGES = [
    '<html lang="en"><head><title>Pier</title></head><body><h1>Pier</h1>'
    '<form action="/s"><input name="q"><select><option>a</option></select></form>'
    "<p>The harbour authority approved the plan.</p><!-- note --></body></html>",
    # an encoding declaration in a str: lxml refuses it, the bytes are parsed instead
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>Caf\u00e9 opens.</p></body></html>',
    "<!DOCTYPE html><html/>\n<body><p>Self-closed html tag.</p></body>",
    "no markup at all, just a sentence",
    "<p>one fragment</p>",
]


@pytest.mark.parametrize("text", PAGES)
def test_same_tree_as_trafilatura(text):
    ours, theirs = parse_html(text), load_html(text)
    assert (ours is None) == (theirs is None)
    if ours is not None and theirs is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)


def test_every_element_is_a_plain_html_element():
    tree = parse_html(PAGES[0])
    assert tree is not None
    assert {type(el) for el in tree.iter()} == {HtmlElement}
    assert tree.find(".//form") is not None  # the form is kept, as a plain element
