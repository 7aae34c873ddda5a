"""Author text shows exactly as written in Markdown and Mermaid, never as markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_setup import EXTENSION_CONFIGS, EXTENSIONS

from cjm_plugin.escape import (
    MERMAID_KEYWORDS,
    ZERO_WIDTH_SPACE,
    html_text,
    markdown_text,
    mermaid_actor,
    mermaid_text,
    visible_text,
)

#: Where generated pages put escaped text: the template (``{}`` for the text),
#: the element whose text is the escaped text, the elements the page itself makes.
CONTEXTS = {
    "paragraph": ("{}", "p", {"p"}),
    "list item": ("- **Owner:** {}", "li", {"ul", "li", "strong"}),
    "bare list item": ("- {}", "li", {"ul", "li"}),
    "table cell": ("| A |\n| --- |\n| {} |", "td", {"table", "thead", "tbody", "tr", "th", "td"}),
    "heading": ("# {}", "h1", {"h1"}),
    "link label": ("[{}](page.md)", "a", {"p", "a"}),
    "quote": ("> “{}”", "p", {"blockquote", "p"}),
}
_FRAMES = {"list item": "Owner: ", "quote": "“"}


class _Collector(HTMLParser):
    """The text of the first ``target`` element, ``<br>`` as a line break, and all tags."""

    def __init__(self, target: str) -> None:
        super().__init__(convert_charrefs=True)
        self.target = target
        self.depth = 0
        self.done = False
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag == self.target and not self.done:
            self.depth += 1
        elif tag == "br" and self.depth:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == self.target and self.depth:
            self.depth -= 1
            self.done = not self.depth

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def render(context: str, escaped: str) -> tuple[str, list[str], list[tuple[str, str | None]]]:
    """The text shown for ``escaped`` in a context, every tag, every attribute."""
    template, target, _ = CONTEXTS[context]
    html = markdown.markdown(
        template.format(escaped), extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS
    )
    collector = _Collector(target)
    collector.feed(html)
    collector.close()
    text = "".join(collector.text)
    frame = _FRAMES.get(context)
    if frame is not None and text.startswith(frame):
        text = text[len(frame) :]
    if context == "quote" and text.endswith("”"):
        text = text[:-1]
    return text, collector.tags, collector.attributes


def shown(text: str) -> str:
    """What a browser shows of text: whitespace runs as one space, line by line."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(lines).strip("\n ")


def check_shown_as_written(text: str, context: str) -> None:
    escaped = markdown_text(text)
    assert "\n" not in escaped
    shown_text, tags, attributes = render(context, escaped)
    _, target, allowed = CONTEXTS[context]
    assert set(tags) <= allowed | {"br"}, tags
    assert tags.count(target) <= 1, tags
    expected = [("href", "page.md")] if context == "link label" else []
    assert attributes == expected
    assert shown(shown_text) == shown(visible_text(text))


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("<script>alert(1)</script>", "paragraph"),
        ("[x](javascript:alert(1))", "paragraph"),
        ("[x](javascript:alert(1))", "table cell"),
        ("a | b | c", "table cell"),
        ("C#", "heading"),
        ("Title {#evil .cls}", "heading"),
        ("1. not a list", "bare list item"),
        ("- not a list", "bare list item"),
        ("> not a quote", "paragraph"),
        ("# not a heading", "paragraph"),
        ("??? note", "bare list item"),
        ("*not emphasis* and _not either_", "paragraph"),
        ("`not code`", "paragraph"),
        ("&amp; stays &amp;", "paragraph"),
        ("<https://example.com>", "paragraph"),
        ("![img](x.png)", "link label"),
        ("trailing backslash \\", "table cell"),
        ("```mermaid", "bare list item"),
    ],
)
def test_markup_shows_as_text(text: str, context: str) -> None:
    check_shown_as_written(text, context)


def test_line_breaks_become_br_and_the_text_stays_on_one_line() -> None:
    escaped = markdown_text("first line\r\nsecond | line\rthird")
    assert "\n" not in escaped and "\r" not in escaped
    assert escaped == "first line<br>second \\| line<br>third"


def test_control_characters_show_as_replacement_character() -> None:
    # STX and ETX are python-markdown's own placeholders: they must never pass.
    assert markdown_text("a\x02b\x03c") == "a\ufffdb\ufffdc"
    assert visible_text("tab\tstays") == "tab\tstays"


def test_html_text_escapes_quotes() -> None:
    assert html_text('"<a href=x>&') == "&quot;&lt;a href=x&gt;&amp;"


@settings(max_examples=300, deadline=None)
@given(text=st.text(), context=st.sampled_from(sorted(CONTEXTS)))
@example(text="0.", context="bare list item")
@example(text="=", context="paragraph")
@example(text="\ufeff# x", context="paragraph")
@example(text="    code?", context="bare list item")
@example(text="x\n===", context="paragraph")
def test_any_text_renders_as_exactly_that_text(text: str, context: str) -> None:
    check_shown_as_written(text, context)


#: A Mermaid entity code: ``#58;`` draws ``:``.
_ENTITY_CODE = re.compile(r"#(\d+);")
#: What must never stand raw in a journey field: field ends, comment and
#: directive openers, markup, Mermaid's entity markers, U+FEFF, line breaks.
_JOURNEY_SYNTAX = re.compile("[:;#%<>&\ufb02\u00b6\ufeff\n\r]")


def mermaid_drawn(escaped: str) -> str:
    """What Mermaid draws for a journey field: each entity code as its character."""
    return _ENTITY_CODE.sub(lambda m: chr(int(m.group(1))), escaped)


@settings(max_examples=500)
@given(st.text())
@example("title: a; b # c")
@example("%%{init: {'securityLevel': 'loose'}}%%")
@example("Section A")
@example("\ufeffjourney")
@example("accDescr { x }")
@example("a<br>b")
@example("#58; &#58; \ufb02\u00b0\u00b0 \u00b6\u00df")
def test_mermaid_text_never_ends_a_field_or_starts_a_statement(text: str) -> None:
    one_line = " ".join(visible_text(text).replace("\ufffd", " ").split())
    for escaped in (mermaid_text(text), mermaid_actor(text)):
        assert escaped, "an empty task name would make Mermaid read the score as a name"
        raw = _ENTITY_CODE.sub("", escaped)
        assert not _JOURNEY_SYNTAX.search(raw), escaped
        assert not re.search(r"style.*:\S*#.*;|classDef.*:\S*#.*;", escaped)
        start = escaped.lstrip(" \t\u00a0\ufeff").lower()
        assert not start.startswith(MERMAID_KEYWORDS)
        assert mermaid_drawn(escaped) == (one_line or ZERO_WIDTH_SPACE), "drawn as written"
    assert "," not in _ENTITY_CODE.sub("", mermaid_actor(text))


def test_mermaid_journey_text_is_exact_with_entity_codes() -> None:
    assert mermaid_text("Pay: 10; ref #3 at 100%") == "Pay#58; 10#59; ref #35;3 at 100#37;"
    assert mermaid_text("title of the form") == "#116;itle of the form"
    assert mermaid_text("Section 2") == "#83;ection 2"
    assert mermaid_text("Subtitle") == "Subtitle"
    assert mermaid_text("100%% sure") == "100#37;#37; sure"
    assert mermaid_text("line one\nline two") == "line one line two"
    assert mermaid_text("\x00") == ZERO_WIDTH_SPACE
    assert mermaid_actor("Osei, Daniel") == "Osei#44; Daniel"
    assert mermaid_text("Osei, Daniel") == "Osei, Daniel"
    assert mermaid_text("<script>alert(1)</script> & co") == (
        "#60;script#62;alert(1)#60;/script#62; #38; co"
    )
    assert mermaid_text("#58;") == "#35;58#59;", "the author's own entity code shows as written"
