"""Parse a rendered page and list anything user input could have turned into live markup."""
from __future__ import annotations

import re
from html.parser import HTMLParser

# Never on a page that shows user text (the layout has none of them).
FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "math", "style", "base", "frame", "frameset", "applet",
                  "img", "video", "audio", "source", "details"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset",
                  "cite", "longdesc", "ping"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def _normalised_url(value: str) -> str:
    # Browsers ignore ASCII whitespace and control characters inside a scheme.
    return re.sub(r"[\x00-\x20]+", "", value).lower()


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self._skip += 1
            if not values.get("src", "").startswith("/static/") or len(attrs) > 2:
                self.problems.append(f"script tag: {attrs}")
        elif tag == "link" and not (values.get("href", "").startswith("/") and not values["href"].startswith("//")):
            self.problems.append(f"link tag: {attrs}")
        elif tag == "meta" and "http-equiv" in values:
            self.problems.append(f"meta refresh: {attrs}")
        elif tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> tag: {attrs}")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in ("style", "srcdoc"):
                self.problems.append(f"{name} attribute on <{tag}>: {value!r}")
            if name in URL_ATTRIBUTES and _normalised_url(value).startswith(BAD_SCHEMES):
                self.problems.append(f"dangerous URL {name}={value!r} on <{tag}>")
            if tag == "form" and name == "action" and not (value.startswith("/") or value == ""):
                self.problems.append(f"form posting off-site: {value!r}")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def inspect(html: str) -> tuple[list[str], str]:
    """(problems, the page's visible text with whitespace collapsed)."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems, " ".join("".join(checker.text).split())


def collapse(text: str) -> str:
    return " ".join(text.split())
