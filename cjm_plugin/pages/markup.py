"""Views into HTML: the Jinja environment every page kind renders with.

The templates (``cjm_plugin/templates``) hold the markup and write HTML, not
Markdown: every link is the final relative URL of its target (see
:mod:`cjm_plugin.urls`), every heading carries its id, so MkDocs converts
none of it. Only the author's bodies are Markdown; a template hands each to
``body()``, and the page keeps it apart (:class:`Page`) for the site to
convert with its own Markdown extensions.

What goes inside a line (a link, links, bullets in a cell, a value or a dash)
is a filter here: the large pages hold tens of thousands of them, and a
filter costs a fraction of a macro call. Autoescape is off, so every piece of
author text is escaped explicitly with the ``html`` filter
(:func:`cjm_plugin.escape.html_text`); the words for the model's values
(states, channels, categories) come from here. Inside an attribute or
``<pre>``, ``plain`` escapes the same way but leaves line breaks as they are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markdown.extensions.toc import slugify, unique

from ..diagnostics import Diagnostic
from ..escape import html_text
from ..mermaid import EMOTION_WORDS, format_score
from ..urls import UrlLayout
from .base import Heading, Link, Page, PageView

BULLET = "•"
#: A face per emotion score, always shown with the number and its word.
EMOTION_FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}
STATE_TITLES = {"current": "Current state", "future": "Future state"}
EVIDENCE_TITLES = {"observed": "Observed", "reported": "Reported", "assumed": "Assumed"}
ACTION_STATUS_TITLES = {"planned": "Planned", "in-progress": "In progress", "done": "Done"}
CATEGORY_TITLES: dict[str | None, str] = {
    "pre-purchase": "Pre-purchase",
    "purchase": "Purchase",
    "post-purchase": "Post-purchase",
    None: "Uncategorised",
}
CHANNEL_TITLES = {
    "web": "Web",
    "mobile-app": "Mobile app",
    "email": "Email",
    "social": "Social",
    "phone": "Phone",
    "chat": "Chat",
    "store": "Store",
    "ads": "Ads",
    "word-of-mouth": "Word of mouth",
    "other": "Other",
}
#: Where an author's body goes in a template's output: NUL never reaches a page
#: (the loader refuses it, ``html_text`` replaces it), so no text can forge it.
_BODY_SLOT = "\x00"
#: Around a heading's number where its id goes until the page is written: U+0001 never
#: reaches a page either.
_ID_SLOT = "\x01"
_ID_SLOT_RE = re.compile("\x01(\\d+)\x01")
_ID_RE = re.compile(r' id="([^"\x01]+)"')


def emotion_label(score: int) -> str:
    """An emotion score as a face, the number and a word: never colour alone."""
    return f"{EMOTION_FACES[score]} {score}/5 {EMOTION_WORDS[score]}"


class PageWriter:
    """What one page's rendering collects besides its HTML: headings, links, bodies."""

    def __init__(self, here: str, layout: UrlLayout) -> None:
        self.here = here
        self.layout = layout
        self.headings: list[Heading] = []
        """Each heading as written, its id still to be given where it has none."""
        self.links: set[str] = set()
        self.bodies: list[str] = []

    def link(self, to: Link) -> str:
        """An ``<a>`` to a generated page; a link without a target is its text alone."""
        if to.target is None:
            return html_text(to.text)
        self.links.add(to.target)
        href = self.layout.url(self.here, to.target, to.anchor)
        return f'<a href="{html_text(href)}">{html_text(to.text)}</a>'

    def heading(self, level: int, text: str, anchor: str | None = None) -> str:
        """A heading, listed for the page's table of contents. Without an ``anchor``
        its id is given once the page is written (:meth:`give_ids`)."""
        index = len(self.headings)
        self.headings.append(Heading(level, anchor or "", text, len(self.bodies)))
        anchor_text = html_text(anchor) if anchor else f"{_ID_SLOT}{index}{_ID_SLOT}"
        return f'<h{level} id="{anchor_text}">{html_text(text)}</h{level}>'

    def give_ids(self, text: str) -> str:
        """Ids for the headings written without one, as Python-Markdown's ``toc`` gives
        them: from the text, unique among every id already on the page."""
        used = set(_ID_RE.findall(text))
        given = {}
        for index, heading in enumerate(self.headings):
            if not heading.id:
                anchor = unique(slugify(heading.text, "-"), used)
                self.headings[index] = heading._replace(id=anchor)
                given[str(index)] = html_text(anchor)
        if not given:
            return text
        return _ID_SLOT_RE.sub(lambda match: given[match.group(1)], text)

    def body(self, markdown: str) -> str:
        """Keep the author's Markdown apart; the page shows it here once converted."""
        self.bodies.append(markdown)
        return _BODY_SLOT


def _writer(context: jinja2.runtime.Context) -> PageWriter:
    writer: PageWriter = context["out"]
    return writer


@jinja2.pass_context
def _link_filter(context: jinja2.runtime.Context, to: Link) -> str:
    """``{{ link | link }}``: a link from the page being rendered."""
    return _writer(context).link(to)


@jinja2.pass_context
def _links_filter(context: jinja2.runtime.Context, links: Iterable[Link], separator: str) -> str:
    """``{{ links | links(", ") }}``: links one after the other (``separator`` is HTML)."""
    writer = _writer(context)
    return separator.join([writer.link(to) for to in links])


@jinja2.pass_context
def _heading(
    context: jinja2.runtime.Context, level: int, text: str, anchor: str | None = None
) -> str:
    """``{{ heading(2, "Journeys") }}``."""
    return _writer(context).heading(level, text, anchor)


@jinja2.pass_context
def _body(context: jinja2.runtime.Context, markdown: str) -> str:
    """``{{ body(page.body) }}``: the author's Markdown, converted by the site."""
    return _writer(context).body(markdown)


def _html_lines(text: str) -> str:
    """``{{ text | html }}``: author text as written, its line breaks kept (``<br>``)."""
    return html_text(text).replace("\n", "<br>")


def _bullets(items: Sequence[str]) -> str:
    """``{{ items | bullets }}``: list items inside one table cell, one a line."""
    return "<br>".join([f"{BULLET} {_html_lines(item)}" for item in items])


def _value(text: str | None) -> str:
    """``{{ text | value }}``: a value as written; absent as a dash."""
    return "—" if text is None else _html_lines(text)


_extra_loaders: list[jinja2.BaseLoader] = []


def add_templates(loader: jinja2.BaseLoader) -> None:
    """Look for templates in ``loader`` first: a page kind's own, or a site's overrides."""
    _extra_loaders.insert(0, loader)
    environment.cache_clear()


def remove_templates(loader: jinja2.BaseLoader) -> None:
    """Stop looking in a loader given to :func:`add_templates`."""
    _extra_loaders.remove(loader)
    environment.cache_clear()


def templates_folder(folder: Path | None) -> None:
    """Use the templates in ``folder`` before cjm's own (the ``custom_templates`` option);
    ``None`` for cjm's alone. Replaces the folder set before."""
    global _custom_folder
    if folder == _custom_folder:
        return
    _custom_folder = folder
    environment.cache_clear()


_custom_folder: Path | None = None


@functools.cache
def environment() -> jinja2.Environment:
    """Built once per set of template folders: templates never change during a build."""
    custom = [jinja2.FileSystemLoader(_custom_folder)] if _custom_folder is not None else []
    loader = jinja2.ChoiceLoader(
        [*custom, *_extra_loaders, jinja2.PackageLoader("cjm_plugin", "templates")]
    )
    built = jinja2.Environment(
        loader=loader,
        autoescape=False,
        keep_trailing_newline=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    built.filters["html"] = _html_lines
    built.filters["plain"] = html_text
    built.filters["link"] = _link_filter
    built.filters["links"] = _links_filter
    built.filters["bullets"] = _bullets
    built.filters["value"] = _value
    built.globals.update(
        heading=_heading,
        body=_body,
        emotion=emotion_label,
        score=format_score,
        state_title=STATE_TITLES.__getitem__,
        evidence_title=EVIDENCE_TITLES.__getitem__,
        status_title=ACTION_STATUS_TITLES.__getitem__,
        category_title=CATEGORY_TITLES.__getitem__,
        channel_title=CHANNEL_TITLES.__getitem__,
        faces=EMOTION_FACES,
        words=EMOTION_WORDS,
    )
    return built


def page_view(
    template: str,
    slot: tuple[str, str, str | None],
    layout: UrlLayout,
    title: str,
    diagnostics: Sequence[Diagnostic] = (),
    **context: Any,
) -> PageView:
    """The page ``slot`` (uri, kind, source), to be made by ``template`` from ``context``."""
    return PageView(template, slot, layout, title, tuple(diagnostics), context)


def render(view: PageView) -> Page:
    """The page a view makes.

    Joined once from the template's pieces: the touchpoint index runs to
    megabytes, and each further copy of it costs.
    """
    uri, kind, source = view.slot
    writer = PageWriter(uri, view.layout)
    template = environment().get_template(view.template)
    text = writer.give_ids("".join(template.generate(out=writer, **view.context)))
    html = tuple(part.strip("\n") + "\n" if part.strip() else "" for part in text.split(_BODY_SLOT))
    return Page(
        uri,
        kind,
        source,
        view.title,
        html,
        tuple(writer.bodies),
        tuple(writer.headings),
        tuple(sorted(writer.links)),
        view.diagnostics,
    )


def render_page(
    template: str,
    slot: tuple[str, str, str | None],
    layout: UrlLayout,
    title: str,
    diagnostics: Sequence[Diagnostic] = (),
    **context: Any,
) -> Page:
    """``render(page_view(...))``: a page made at once."""
    return render(page_view(template, slot, layout, title, diagnostics, **context))
