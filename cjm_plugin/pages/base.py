"""What every page kind shares: the page, its place, the URL layout and link targets.

Views link with :class:`Link` values (a text and the page it points at), not
Markdown: the templates make the markup, and an export can take the targets
as they are.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..build_date import build_date
from ..diagnostics import Diagnostic
from ..history import Revision
from ..model import Journey
from ..registry import Registry, StepRef
from ..review import DEFAULT_REVIEW_EVERY, Review, review_of


@dataclass(frozen=True)
class PageSlot:
    """Where a generated page goes, known before its Markdown is."""

    uri: str
    """Docs-relative path of the Markdown file, ``/`` separators."""
    kind: str
    """The name of its page kind: ``journey``, ``persona``, ``overview``, ``touchpoints``..."""
    source: str | None
    """The record's path inside the journeys folder, for "edit this page"."""


@dataclass(frozen=True)
class Page(PageSlot):
    """One generated Markdown file, ready to hand to MkDocs or write to disk."""

    title: str
    """The page title as plain text (not Markdown)."""
    markdown: str
    diagnostics: tuple[Diagnostic, ...] = ()
    """Warnings about the page, such as a diagram too large for Mermaid to draw."""


@dataclass(frozen=True)
class PlannedPage(PageSlot):
    """A page of the site before it is rendered: where it goes, what it shows, how to make it."""

    shows: Callable[[], tuple[object, ...]]
    """Everything the page shows (the layout, whole records), compared by value: a page
    kept from an earlier render is reused while this is equal."""
    make: Callable[[], Page]

    def slot(self) -> PageSlot:
        """Where the page goes, without the records it is made from."""
        return PageSlot(self.uri, self.kind, self.source)


@functools.lru_cache(maxsize=1 << 16)
def _join(*parts: str) -> str:
    return "/".join(part.strip("/") for part in parts if part.strip("/"))


#: The URL options of the plugin, with the attribute of :class:`UrlLayout` holding each.
_NAMED_OPTIONS = {
    "journeys_url": "journeys",
    "personas_url": "personas",
    "touchpoints_url": "touchpoints",
}


@dataclass(frozen=True)
class UrlLayout:
    """Where generated pages live in the docs folder: a folder for each URL option."""

    journeys: str = "journeys"
    """``journeys_url``: the overview at ``journeys/index.md``, a journey at ``journeys/<id>/``."""
    personas: str = "personas"
    """``personas_url``: a persona at ``personas/<id>/index.md``."""
    touchpoints: str = "touchpoints"
    """``touchpoints_url``: the touchpoint index at ``touchpoints/index.md``."""
    others: tuple[tuple[str, str], ...] = ()
    """(option, folder) for the URL option of any other page kind."""

    @classmethod
    def from_options(cls, folders: Mapping[str, str]) -> UrlLayout:
        """The layout of the plugin's URL options, by option name."""
        named = {
            attribute: folders[option]
            for option, attribute in _NAMED_OPTIONS.items()
            if option in folders
        }
        others = tuple(sorted((o, f) for o, f in folders.items() if o not in _NAMED_OPTIONS))
        return cls(**named, others=others)

    def folder(self, url_option: str) -> str:
        """The folder the URL option ``url_option`` gives its pages."""
        attribute = _NAMED_OPTIONS.get(url_option)
        if attribute is not None:
            folder: str = getattr(self, attribute)
            return folder
        return dict(self.others)[url_option]

    def uri(self, url_option: str, *segments: str) -> str:
        """The ``index.md`` of a folder under the option's folder."""
        return _join(self.folder(url_option), *segments, "index.md")

    # Link targets: the pages other pages link to, tens of thousands of times.

    def overview_uri(self) -> str:
        return _join(self.journeys, "index.md")

    def journey_uri(self, journey_id: str) -> str:
        return _join(self.journeys, journey_id, "index.md")

    def persona_uri(self, persona_id: str) -> str:
        return _join(self.personas, persona_id, "index.md")

    def touchpoints_uri(self) -> str:
        return _join(self.touchpoints, "index.md")


DEFAULT_LAYOUT = UrlLayout()


class Link(NamedTuple):
    """A link from a page to a generated page, as data: what it says and where it goes."""

    text: str
    """Plain text, escaped by the template that shows it."""
    target: str | None
    """The page's docs-relative ``.md`` path; ``None`` when there is no page (text alone)."""
    anchor: str | None = None


@functools.lru_cache(maxsize=1 << 17)
def relative_href(here: str, target: str, anchor: str | None = None) -> str:
    """A link from page ``here`` to page ``target``, both docs-relative ``.md`` paths."""
    fragment = f"#{anchor}" if anchor else ""
    if target == here and fragment:
        return fragment
    return _relative_path(posixpath.dirname(here), target) + fragment


@functools.lru_cache(maxsize=1 << 14)
def _relative_path(folder: str, target: str) -> str:
    """``posixpath.relpath`` for clean docs paths, without its trips to the file system.

    The overview and the touchpoint index hold tens of thousands of links.
    """
    base = folder.split("/") if folder else []
    parts = target.split("/")
    common = 0
    while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])


@dataclass(frozen=True, eq=False)
class Site:
    """What page kinds make their pages from."""

    registry: Registry
    layout: UrlLayout = DEFAULT_LAYOUT
    history: Mapping[str, Sequence[Revision]] = field(default_factory=dict)
    """A journey's revisions by journey id, newest first; none for most sites."""
    review_every: str = DEFAULT_REVIEW_EVERY
    """How often a journey without its own ``review_every`` must be reviewed."""
    today: dt.date = field(default_factory=build_date)
    """The build date: reviews and due actions are judged as of this day."""

    def review(self, journey: Journey) -> Review:
        """The journey's review state as of the build date."""
        return review_of(journey, self.today, self.review_every)

    @functools.cached_property
    def targets(self) -> Targets:
        return Targets(self.registry, self.layout)


class Targets:
    """Links to the generated pages of records, from any page."""

    def __init__(self, registry: Registry, layout: UrlLayout) -> None:
        self.registry = registry
        self.layout = layout

    def journey(self, journey: Journey, text: str | None = None) -> Link:
        return Link(text or journey.title, self.layout.journey_uri(journey.id))

    def persona(self, persona_id: str) -> Link:
        persona = self.registry.personas.get(persona_id)
        if persona is None:  # the loader refuses unknown ids; show the id, link nothing
            return Link(persona_id, None)
        return Link(persona.name, self.layout.persona_uri(persona.id))

    def personas(self, persona_ids: Iterable[str]) -> list[Link]:
        return [self.persona(persona_id) for persona_id in persona_ids]

    def touchpoint(self, touchpoint_id: str) -> Link:
        touchpoint = self.registry.touchpoints.get(touchpoint_id)
        name = touchpoint.name if touchpoint is not None else touchpoint_id
        return Link(name, self.layout.touchpoints_uri(), touchpoint_id)

    def step(self, ref: StepRef, text: str | None = None) -> Link:
        label = text if text is not None else f"{ref.number}. {ref.step.name}"
        return Link(label, self.layout.journey_uri(ref.journey.id), ref.anchor)

    def overview(self, text: str) -> Link:
        return Link(text, self.layout.overview_uri())

    def touchpoint_index(self, text: str) -> Link:
        return Link(text, self.layout.touchpoints_uri())


def lowest_step(refs: Sequence[StepRef]) -> StepRef:
    """The step that feels worst; the first one on a tie, as ``Journey.lowest_step``."""
    return min(refs, key=lambda ref: ref.step.emotion)


def body_text(text: str) -> str:
    """The author's Markdown, as written, without the blank lines around it."""
    return text.strip("\n")


def named_ids(journey: Journey, other: Journey | None) -> tuple[list[str], list[str]]:
    """Sorted ids of the personas and the touchpoints a journey and its other state name."""
    persona_ids: set[str] = set(journey.personas)
    touchpoint_ids: set[str] = set()
    for state in (journey, other):
        if state is None:
            continue
        for _, step in state.all_steps():
            persona_ids.update(state.actors_of(step))
            touchpoint_ids.update(step.touchpoints)
    return sorted(persona_ids), sorted(touchpoint_ids)


def every_record(site: Site) -> tuple[object, ...]:
    """What a page showing every journey shows: the layout and every record."""
    registry = site.registry
    return (
        site.layout,
        tuple(registry.personas.values()),
        tuple(registry.touchpoints.values()),
        tuple(registry.journeys.values()),
    )
