"""Views into Markdown: the Jinja environment every page kind renders with.

The templates (``cjm_plugin/templates``) hold the markup; tables are macros
in ``macros.md.j2``, which a site may override. What goes inside a line
(a link, links, bullets in a cell, a value or a dash) is a filter here: the
large pages hold tens of thousands of them, and a filter costs a fraction
of a macro call. Links are relative to the page being rendered (``here``). Autoescape is off because the output
is Markdown, not HTML; every piece of author text is escaped explicitly with
the ``md`` filter (:func:`cjm_plugin.escape.markdown_text`), and the words
for the model's values (states, channels, categories) come from here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import jinja2

from ..escape import html_in_markdown, markdown_text
from ..mermaid import EMOTION_WORDS, format_score
from ..output_files import GENERATED_MARK
from .base import Link, relative_href

#: First line of every page: tells a reader of `cjm render` output where to
#: edit, and lets `cjm render` recognise (and so rewrite) its own files.
GENERATED_COMMENT = f"<!-- {GENERATED_MARK} from the journey files: edit those, not this page. -->"

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


@functools.cache
def emotion_label(score: int) -> str:
    """An emotion score as a face, the number and a word: never colour alone."""
    return f"{EMOTION_FACES[score]} {score}/5 {EMOTION_WORDS[score]}"


@functools.lru_cache(maxsize=1 << 16)
def _link(here: str, to: Link) -> str:
    """A Markdown link from page ``here``; a link without a target is its text alone."""
    if to.target is None:
        return markdown_text(to.text)
    return f"[{markdown_text(to.text)}]({relative_href(here, to.target, to.anchor)})"


def _bullets(items: Sequence[str]) -> str:
    """``{{ items | bullets }}``: list items inside one table cell, one a line."""
    return _bullet_lines(tuple(items)) if items else ""


@functools.lru_cache(maxsize=1 << 14)
def _bullet_lines(items: tuple[str, ...]) -> str:
    return "<br>".join([f"{BULLET} {markdown_text(item)}" for item in items])


def _value(text: str | None) -> str:
    """``{{ text | value }}``: a value as written; absent as a dash."""
    return "—" if text is None else markdown_text(text)


@jinja2.pass_context
def _link_filter(context: jinja2.runtime.Context, to: Link) -> str:
    """``{{ link | link }}``: a link from the page being rendered (``here``)."""
    return _link(context["here"], to)


@jinja2.pass_context
def _links_filter(context: jinja2.runtime.Context, links: Iterable[Link], separator: str) -> str:
    """``{{ links | links(", ") }}``: links from the page being rendered, one after the other."""
    here = context["here"]
    return separator.join([_link(here, to) for to in links])


_extra_loaders: list[jinja2.BaseLoader] = []


def add_templates(loader: jinja2.BaseLoader) -> None:
    """Look for templates in ``loader`` first: a page kind's own, or a site's overrides
    of cjm's (``macros.md.j2`` for tables and links)."""
    _extra_loaders.insert(0, loader)
    environment.cache_clear()


def remove_templates(loader: jinja2.BaseLoader) -> None:
    """Stop looking in a loader given to :func:`add_templates`."""
    _extra_loaders.remove(loader)
    environment.cache_clear()


@functools.cache
def environment() -> jinja2.Environment:
    """Built once: templates ship in the package and never change at run time."""
    loader = jinja2.ChoiceLoader([*_extra_loaders, jinja2.PackageLoader("cjm_plugin", "templates")])
    built = jinja2.Environment(
        loader=loader,
        autoescape=False,
        keep_trailing_newline=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    built.filters["md"] = markdown_text
    built.filters["html"] = html_in_markdown
    built.filters["link"] = _link_filter
    built.filters["links"] = _links_filter
    built.filters["bullets"] = _bullets
    built.filters["value"] = _value
    built.globals.update(
        emotion=emotion_label,
        score=format_score,
        state_title=STATE_TITLES.__getitem__,
        evidence_title=EVIDENCE_TITLES.__getitem__,
        status_title=ACTION_STATUS_TITLES.__getitem__,
        category_title=CATEGORY_TITLES.__getitem__,
        channel_title=CHANNEL_TITLES.__getitem__,
    )
    return built


def render_markdown(template: str, here: str, **context: Any) -> str:
    """The comment, then the template's text for page ``here`` without blank lines at its end.

    Joined once from the template's pieces: the touchpoint index runs to
    megabytes, and each further copy of it (to strip, to prepend) costs.
    """
    pieces = [
        GENERATED_COMMENT,
        "\n\n",
        *environment().get_template(template).generate(here=here, **context),
    ]
    while len(pieces) > 2:
        last = pieces[-1].rstrip("\n")
        if last:
            pieces[-1] = last
            break
        pieces.pop()
    pieces.append("\n")
    return "".join(pieces)
