"""Bodies from many hands: warnings for what can run script, and a sanitiser.

A body is the author's own Markdown and is published as written, raw HTML
included (see ``docs/security.md``). Two things help a site that takes bodies
from people it does not fully trust:

- :func:`body_warnings` points a reviewer at each ``<script>``, event-handler
  attribute, ``javascript:`` or ``data:`` URL and embedded frame in a body,
  with its ``FILE:LINE:COL`` and the code ``cjm.body-script``.
- :func:`sanitize_body_html` cleans the HTML a body became with nh3, a real
  HTML sanitiser, for the plugin option ``bodies: sanitized``.

The check reads the body the way both python-markdown and a browser could: a
tag as a browser tokenises it (only a quoted value can hold ``>``) and as
python-markdown finds raw inline HTML (no ``<`` inside), Markdown link and
image targets, reference definitions and ``attr_list`` braces (``{onclick=...}``
sets an attribute). URLs are decoded as a browser does before it reads the
scheme: character references (``java&#115;cript:``), tabs and line breaks
removed, leading spaces and control characters dropped, any case.

Code is not skipped: ``<script>`` in a fenced block or a code span is reported
too. Whether a fence or an indented block is code depends on what comes before
it (an unclosed fence in another touchpoint's body on the same page, a list, a
raw HTML block), which only the whole page's Markdown parse knows; a warning on
an example costs a reviewer a glance, a script that slips through costs more.
Prose is not matched: only tags, attributes inside tags or braces, and link
targets are, so "the script" or "on-boarding = good" is no warning.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator

import nh3

from . import diagnostics as diag
from .diagnostics import Diagnostic

#: A body with more findings than this gets one last warning counting the rest:
#: a hostile body must not flood the log.
MAX_WARNINGS_PER_BODY = 20

_FIX = "remove it, or set the cjm plugin option 'bodies: sanitized' to publish bodies without it"

#: Tags that run script, load another document or plugin into the page, or
#: send the page (and its relative script URLs) elsewhere.
ACTIVE_TAGS = {
    "script": "which runs in the browser of everyone who opens the page",
    "iframe": "which loads another page, with scripts of its own, into this one",
    "frame": "which loads another page, with scripts of its own, into this one",
    "frameset": "which loads other pages, with scripts of their own, into this one",
    "object": "which loads another page or a plugin into this one",
    "embed": "which loads another page or a plugin into this one",
    "applet": "which loads a plugin into this one",
    "base": "which changes where the page's relative links and scripts load from",
    "meta": "which can redirect the page elsewhere",
}
#: Attributes whose value a browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset(
    {
        "action",
        "archive",
        "background",
        "cite",
        "classid",
        "codebase",
        "data",
        "dynsrc",
        "formaction",
        "from",
        "href",
        "icon",
        "longdesc",
        "lowsrc",
        "manifest",
        "ping",
        "poster",
        "profile",
        "src",
        "srcset",
        "to",
        "usemap",
        "values",
        "xlink:href",
    }
)
#: Attributes holding a list of URLs: SVG ``<animate values="a;javascript:...">``, ``srcset``.
_URL_LIST_ATTRIBUTES = frozenset({"values", "srcset"})
_URL_LIST_SEPARATOR_RE = re.compile("[;,]")
SCHEMES = {
    "javascript:": "which runs script when followed",
    "vbscript:": "which runs script when followed",
    "data:": "which can hold a whole page or image with scripts of its own",
}
_EVENT_HANDLER_RE = re.compile("on[a-z]{3,}")

_SPACE = r"\t\n\f\r "
#: A start tag as a browser tokenises it: the name, then attributes up to the
#: ``>`` that ends it; quotes open a value only after ``=``.
_BROWSER_TAG_RE = re.compile(
    rf"<(?P<name>[A-Za-z][^{_SPACE}/>]*)"
    rf"(?P<attributes>(?:[{_SPACE}/]+|[^{_SPACE}/>][^{_SPACE}/=>]*"
    rf"(?:[{_SPACE}]*=[{_SPACE}]*(?:\"[^\"]*\"|'[^']*'|[^{_SPACE}>]*))?)*)"
)
#: A tag as python-markdown finds raw inline HTML: no ``<`` or ``>`` inside, so
#: ``<a title="<script>">`` passes ``<script>`` on as a tag of its own.
_MARKDOWN_TAG_RE = re.compile(rf"<(?P<name>[A-Za-z][^{_SPACE}/<>]*)(?P<attributes>[^<>]*)")
#: One attribute inside a tag or ``attr_list`` braces.
_ATTRIBUTE_RE = re.compile(
    rf"(?P<name>[^{_SPACE}/>][^{_SPACE}/=>]*)"
    rf"(?:[{_SPACE}]*=[{_SPACE}]*(?P<value>\"[^\"]*\"|'[^']*'|[^{_SPACE}>]*))?"
)
#: ``attr_list`` braces: ``{: #id .class key="value" }`` sets attributes.
_ATTRIBUTE_LIST_RE = re.compile(r"\{(?P<attributes>[^{}\n]*)\}")
#: The target of an inline link or image ``](url`` or of a reference definition ``]: url``.
_MARKDOWN_URL_RE = re.compile(r"\](?:\(|:)[ \t]*(?:\n[ \t]*)?<?(?P<url>[^ )>\"']*)")
#: A browser drops tabs and line breaks anywhere in a URL, and spaces and
#: control characters at its start, before it reads the scheme.
_URL_NOISE = str.maketrans("", "", "\t\n\r")
_URL_LEADING = "".join(map(chr, range(0x21)))
#: A numeric character reference: browsers take any number of leading zeros,
#: ``html.unescape`` refuses more than 4,300 digits.
_NUMERIC_REFERENCE_RE = re.compile(r"&#(?:[xX]0*([0-9A-Fa-f]*)|0*([0-9]*))")


def _short_reference(match: re.Match[str]) -> str:
    """The same reference with few digits: past U+10FFFF a browser reads U+FFFD."""
    hexadecimal, decimal = match[1], match[2]
    if hexadecimal is not None:
        return "&#x" + (hexadecimal if len(hexadecimal) <= 6 else "FFFD")
    return "&#" + (decimal if len(decimal) <= 7 else "65533") if decimal else match[0]


def url_scheme(url: str) -> str | None:
    """The dangerous scheme (``javascript:``, ``vbscript:``, ``data:``) a browser
    would read in ``url`` as written in HTML, or ``None``."""
    if "&#" in url:
        url = _NUMERIC_REFERENCE_RE.sub(_short_reference, url)
    normal = html.unescape(url).translate(_URL_NOISE).lstrip(_URL_LEADING).lower()
    for scheme in SCHEMES:
        if normal.startswith(scheme):
            return scheme
    return None


def _attribute_findings(body: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """Event handlers and dangerous URLs among the attributes in ``body[start:end]``."""
    if body.find("=", start, end) == -1:  # most tags: nothing to look at, and fast
        return
    for attribute in _ATTRIBUTE_RE.finditer(body, start, end):
        name, value = attribute["name"].lower(), attribute["value"]
        if value is not None and _EVENT_HANDLER_RE.fullmatch(name):
            yield (
                attribute.start(),
                f"body has the event handler attribute '{name}', which runs script "
                f"when the event happens; {_FIX}",
            )
        if value is None or name not in URL_ATTRIBUTES:
            continue
        offset, quote = attribute.start("value"), value[:1]
        if quote in ("'", '"'):  # a quote left open takes the rest of the tag: still a URL
            value, offset = value[1:].removesuffix(quote), offset + 1
        urls = _URL_LIST_SEPARATOR_RE.split(value) if name in _URL_LIST_ATTRIBUTES else [value]
        for url in urls:
            scheme = url_scheme(url)
            if scheme is not None:
                yield offset, _url_message(scheme)
                break


def _url_message(scheme: str) -> str:
    return f"body has a {scheme} URL, {SCHEMES[scheme]}; {_FIX}"


def _findings(body: str) -> Iterator[tuple[int, str]]:
    """(offset, message) of everything that can run script, possibly twice."""
    for tag_re in (_BROWSER_TAG_RE, _MARKDOWN_TAG_RE):
        for tag in tag_re.finditer(body):
            name = tag["name"].lower()
            if name in ACTIVE_TAGS:
                yield tag.start(), f"body has the tag <{name}>, {ACTIVE_TAGS[name]}; {_FIX}"
            yield from _attribute_findings(body, tag.start("attributes"), tag.end("attributes"))
    for braces in _ATTRIBUTE_LIST_RE.finditer(body):
        yield from _attribute_findings(body, braces.start("attributes"), braces.end("attributes"))
    for link in _MARKDOWN_URL_RE.finditer(body):
        scheme = url_scheme(link["url"])
        if scheme is not None:
            yield link.start("url"), _url_message(scheme)


def body_warnings(path: str, body: str, first_line: int) -> list[Diagnostic]:
    """A ``cjm.body-script`` warning at each place in a body that can run script.

    ``first_line`` is the 1-based line of the file where the body starts;
    columns count characters from 1. Linear in the body's length: a few
    regular-expression passes, none of which backtracks.
    """
    findings = sorted(set(_findings(body)))
    if not findings:
        return []
    line_starts = [0, *(match.end() for match in re.finditer("\n", body))]

    def warning(offset: int, message: str) -> Diagnostic:
        line = bisect.bisect_right(line_starts, offset) - 1
        col = offset - line_starts[line] + 1
        return diag.warning(path, first_line + line, col, "body-script", message)

    warnings = [warning(offset, message) for offset, message in findings[:MAX_WARNINGS_PER_BODY]]
    if len(findings) > MAX_WARNINGS_PER_BODY:
        offset, _ = findings[MAX_WARNINGS_PER_BODY]
        more = len(findings) - MAX_WARNINGS_PER_BODY
        warnings.append(
            warning(
                offset,
                f"body has {more} more places like those above (script, event handlers, "
                f"javascript: or data: URLs, frames) from here on; {_FIX}",
            )
        )
    return warnings


# ---------------------------------------------------------------------------
# Sanitising

#: What python-markdown, its usual extensions (tables, attr_list, md_in_html,
#: toc, footnotes, def_list, abbr, admonition) and pymdown-extensions with
#: Material (details, tabbed, tasklist, highlight, emoji as SVG, keys, mark,
#: caret, tilde, critic, arithmatex) write, plus the plain HTML people put in
#: Markdown. No script, style, form, frame, object, embed, base or meta.
SANITIZED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "article",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "li",
        "mark",
        "ol",
        "p",
        "path",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "svg",
        # cjm's own emotion curve, drawn as inline SVG in the journey map:
        "circle",
        "desc",
        "g",
        "line",
        "polyline",
        "text",
        "title",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    }
)
#: Attributes kept, by tag (``*``: every tag). ``id`` keeps heading and step
#: anchors; ``class`` keeps admonitions, highlighting, tabs and Mermaid.
SANITIZED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "dir", "id", "lang", "role", "tabindex", "title"}),
    "a": frozenset({"href", "hreflang", "name"}),
    "blockquote": frozenset({"cite"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "del": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
    "div": frozenset({"data-tabs"}),
    "img": frozenset({"alt", "height", "loading", "src", "width"}),
    "input": frozenset({"checked", "disabled", "name", "type"}),
    "ins": frozenset({"cite", "datetime"}),
    "label": frozenset({"for"}),
    "li": frozenset({"value"}),
    "ol": frozenset({"reversed", "start", "type"}),
    "path": frozenset({"d"}),
    "q": frozenset({"cite"}),
    "svg": frozenset({"font-size", "height", "viewBox", "width", "xmlns"}),
    # The drawing attributes of the emotion curve (colours are CSS variables).
    **{
        tag: frozenset(
            {
                "fill",
                "font-size",
                "font-weight",
                "stroke",
                "stroke-dasharray",
                "stroke-linejoin",
                "stroke-opacity",
                "stroke-width",
                "text-anchor",
                "x",
                "y",
                "x1",
                "x2",
                "y1",
                "y2",
                "cx",
                "cy",
                "r",
                "points",
                "dominant-baseline",
                "opacity",
            }
        )
        for tag in ("circle", "g", "line", "polyline", "text")
    },
    "td": frozenset({"colspan", "headers", "rowspan"}),
    "th": frozenset({"colspan", "headers", "rowspan", "scope"}),
    "time": frozenset({"datetime"}),
}
#: ``style`` only with the exact values python-markdown's tables and cjm's own
#: pages write: a style can lay a fake page over the real one.
_TABLE_ALIGNMENT = frozenset(f"text-align: {side};" for side in ("left", "right", "center"))
SANITIZED_STYLES: dict[str, dict[str, frozenset[str]]] = {
    "div": {"style": frozenset({"overflow-x: auto"})},
    "td": {"style": _TABLE_ALIGNMENT},
    "th": {"style": _TABLE_ALIGNMENT},
}
#: Schemes a link or image may use; relative URLs and ``#anchors`` are kept.
SANITIZED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def sanitize_body_html(html_text: str) -> str:
    """HTML made from untrusted Markdown, with nothing left that can run script.

    Removes ``<script>`` and ``<style>`` with their content; drops other tags
    outside :data:`SANITIZED_TAGS` (frames, objects, forms, ``<base>``,
    ``<meta>``) keeping their text; drops event handlers and every attribute
    outside :data:`SANITIZED_ATTRIBUTES`, and URLs with schemes outside
    :data:`SANITIZED_URL_SCHEMES` (``javascript:``, ``data:``); drops
    comments. What python-markdown and Material make of ordinary Markdown
    (headings with ids, tables, code, admonitions, tabs, images, links with
    titles) is kept: the page looks the same.
    """
    return nh3.clean(
        html_text,
        tags=set(SANITIZED_TAGS),
        attributes={tag: set(names) for tag, names in SANITIZED_ATTRIBUTES.items()},
        tag_attribute_values={
            tag: {name: set(values) for name, values in styles.items()}
            for tag, styles in SANITIZED_STYLES.items()
        },
        url_schemes=set(SANITIZED_URL_SCHEMES),
        # Accessibility and the map's own data attributes (step numbers, emotions).
        generic_attribute_prefixes={"aria-", "data-"},
        link_rel=None,
        strip_comments=True,
    )
