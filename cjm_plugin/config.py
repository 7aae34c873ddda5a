"""The options of the ``cjm`` MkDocs plugin, as users write them in mkdocs.yml."""

from __future__ import annotations

import re

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config, ValidationError

from .model import RESERVED_NAMES, is_review_period
from .review import DEFAULT_REVIEW_EVERY

NAV_LAYOUTS = ("full", "grouped", "overview")
BODY_MODES = ("raw", "sanitized")
MERMAID_CHOICES = ("bundled", "none")
TRUTH_CHECK_LEVELS = ("info", "warn")

_SEGMENT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class UrlPrefix(opt.Type[str]):
    """A URL prefix made of plain path segments, so generated pages stay inside the site.

    ``..``, absolute paths, backslashes and empty segments are refused: each
    would let a page land outside ``site_dir`` or at a URL nobody expects.
    """

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        prefix: str = super().run_validation(value)
        if "\\" in prefix:
            raise ValidationError(f"use '/' between path segments, not '\\': {prefix!r}")
        if prefix.startswith("/") or re.match(r"^[A-Za-z]:", prefix):
            raise ValidationError(f"must be a relative URL path, not an absolute one: {prefix!r}")
        segments = prefix.split("/")
        for segment in segments:
            if segment in ("", ".", ".."):
                raise ValidationError(
                    f"must be path segments separated by single '/', without '.' or '..' "
                    f"or empty parts: {prefix!r}"
                )
            if not _SEGMENT_RE.match(segment):
                raise ValidationError(
                    f"segment {segment!r} of {prefix!r} may hold only letters, digits, "
                    "'.', '_' and '-' (and must start with a letter or digit)"
                )
            if segment.split(".")[0].lower() in RESERVED_NAMES:
                raise ValidationError(
                    f"segment {segment!r} of {prefix!r} is a reserved device name on Windows, "
                    "where its folder could not be written: choose another name"
                )
            if segment.endswith("."):
                raise ValidationError(
                    f"segment {segment!r} of {prefix!r} must not end with '.': Windows drops "
                    "the dot, so two prefixes could share a folder"
                )
        return prefix


class MermaidSource(opt.Type[str]):
    """Where journey pages get Mermaid: ``bundled``, ``none`` or an ``https://`` URL."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        source: str = super().run_validation(value)
        if source in MERMAID_CHOICES or (
            source.startswith("https://") and len(source) > len("https://")
        ):
            return source
        raise ValidationError(
            f"must be 'bundled', 'none' or an https:// URL of mermaid.min.js, not {source!r}"
        )


class ReviewPeriod(opt.Type[str]):
    """``90d``, ``12w`` or ``6m``: how often a journey must be reviewed."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        every: str = super().run_validation(value)
        if not is_review_period(every):
            raise ValidationError(
                f"must be a number of days, weeks or calendar months, like 90d, 12w or 6m, "
                f"not {every!r}"
            )
        return every


class CjmConfig(Config):  # type: ignore[no-untyped-call]
    """Options of the ``cjm`` plugin."""

    enabled = opt.Type(bool, default=True)
    """Turn the plugin off (e.g. ``enabled: !ENV [CJM, true]``) without removing it."""

    journeys_dir = opt.Dir(exists=False, default="journeys")
    """Folder of the journey files, relative to mkdocs.yml and outside ``docs_dir``."""

    journeys_url = UrlPrefix(default="journeys")
    """URL prefix of the overview and of each journey page: ``journeys/<id>/``."""

    personas_url = UrlPrefix(default="personas")
    """URL prefix of each persona page: ``personas/<id>/``."""

    touchpoints_url = UrlPrefix(default="touchpoints")
    """URL prefix of the touchpoint index: ``touchpoints/``."""

    nav = opt.Choice(NAV_LAYOUTS, default="full")
    """Where generated pages go when mkdocs.yml has no ``nav``.

    ``full``: a "Journeys" section with the overview, every journey, every
    persona and the touchpoint index. ``grouped``: the overview and the
    touchpoint index, then sub-sections "Journeys" and "Personas".
    ``overview``: only the overview and the touchpoint index; journeys and
    personas are reached through links (for sites with thousands of them).
    """

    history = opt.Type(bool, default=True)
    """Show each journey's git revision history on its page."""

    bodies = opt.Choice(BODY_MODES, default="raw")
    """How the Markdown bodies of journeys, personas and touchpoints are published.

    ``raw``: as written, raw HTML and ``<script>`` included, like a page in
    ``docs/``. ``sanitized``: for sites that take maps from outside the team,
    the HTML of every generated page is cleaned with nh3 after Markdown made
    it: script, event handlers, ``javascript:`` and ``data:`` URLs, frames,
    forms and styles go; headings, lists, tables, links, images, code,
    admonitions and tabs look the same (``cjm_plugin.bodies``).
    """

    mermaid = MermaidSource(default="bundled")
    """Where journey pages get Mermaid, which draws their diagrams in the browser.

    ``bundled``: the copy shipped in the package (``cjm_plugin/assets/mermaid``),
    added to ``extra_javascript``, so diagrams draw with no network; skipped when
    ``extra_javascript`` already lists a Mermaid script of the site's own.
    ``none``: the site brings its own (or lets Material fetch it from a CDN).
    An ``https://`` URL: that script is loaded instead.
    """

    review_every = ReviewPeriod(default=DEFAULT_REVIEW_EVERY)
    """How often a journey must be checked against reality when it does not say
    (its own ``review_every``): ``<n>d``, ``<n>w`` or ``<n>m`` (calendar months)."""

    truth_checks = opt.Choice(TRUTH_CHECK_LEVELS, default="info")
    """How stale maps and emotion drift (``cjm.stale-map``, ``cjm.emotion-drift``)
    reach the build log. ``info``: as information, so a site never stops
    building because a date went by or new survey data came in; the pages show
    them. ``warn``: as warnings, which ``mkdocs build --strict`` fails on.
    """

    custom_templates = opt.Optional(opt.Dir(exists=True))
    """A folder of Jinja templates that replace cjm's own by name (``journey.html.j2``,
    ``macros.html.j2`` for every table...), relative to ``mkdocs.yml``; the rest
    come from cjm (``cjm_plugin/templates``). Templates write HTML: escape
    author text with the ``html`` filter and make links with ``link``."""
