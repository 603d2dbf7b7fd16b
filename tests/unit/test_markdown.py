"""Markdown is rendered once, at write time, through an allow-list."""
from html.parser import HTMLParser

from core.markdown import render_markdown


class _Elements(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def test_raw_html_never_becomes_elements():
    html = render_markdown(
        'Hello <script>alert(1)</script> <img src=x onerror=alert(1)> <a href="/x" onclick="y">z</a>'
    )
    elements = _Elements(html).elements
    assert [tag for tag, _ in elements] == ["p"]
    assert "&lt;script&gt;" in html


def test_javascript_links_are_never_links():
    for text in ("[click](javascript:alert(1))", "[click](JaVaScRiPt:alert(1))", "<javascript:alert(1)>",
                 "[click](data:text/html;base64,PHNjcmlwdD4=)"):
        hrefs = [attrs.get("href", "") for tag, attrs in _Elements(render_markdown(text)).elements if tag == "a"]
        assert not any(h.lower().startswith(("javascript", "data")) for h in hrefs), text


def test_links_are_marked_nofollow_ugc():
    html = render_markdown("[our site](https://example.org)")
    assert 'href="https://example.org"' in html and "nofollow" in html and "ugc" in html


def test_headings_start_below_the_page_title():
    assert "<h1>" not in render_markdown("# Title") and "<h2>Title</h2>" in render_markdown("# Title")


def test_ordinary_formatting_survives():
    html = render_markdown("**bold** and *em*\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html and "<li>one</li>" in html
