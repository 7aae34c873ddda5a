"""What every page kind shares: the page, its place, the URL layout and link targets.

Views link with :class:`Link` values (a text and the page it points at), not
Markdown: the templates make the markup, and an export can take the targets
as they are.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from ..build_date import build_date
from ..diagnostics import Diagnostic
from ..history import Revision
from ..model import Journey
from ..output_files import GENERATED_MARK
from ..registry import Registry, StepRef
from ..review import DEFAULT_REVIEW_EVERY, Review, review_of
from ..urls import DEFAULT_LAYOUT, UrlLayout

#: How wide a page kind's pages are: ``full`` for a map, shown without the navigation
#: and table of contents beside it; ``normal`` for a page like any other.
Width = Literal["full", "normal"]

#: First line of every page ``cjm render`` writes: tells a reader where to edit, and
#: lets ``cjm render`` recognise (and so rewrite) its own files.
GENERATED_COMMENT = f"<!-- {GENERATED_MARK} from the journey files: edit those, not this page. -->"


@dataclass(frozen=True)
class PageSlot:
    """Where a generated page goes, known before its Markdown is."""

    uri: str
    """Docs-relative path of the Markdown file, ``/`` separators."""
    kind: str
    """The name of its page kind: ``journey``, ``persona``, ``overview``, ``touchpoints``..."""
    source: str | None
    """The record's path inside the journeys folder, for "edit this page"."""


class Heading(NamedTuple):
    """A heading cjm wrote on a page: for its table of contents, in order."""

    level: int
    id: str
    text: str
    """Plain text."""
    part: int
    """The piece of the page's HTML it is in: after body ``part - 1``, before body ``part``."""


@dataclass(frozen=True)
class Page(PageSlot):
    """One generated page: HTML pieces with the author's Markdown bodies between them."""

    title: str
    """The page title as plain text (not Markdown)."""
    html: tuple[str, ...]
    """The page's HTML, in ``len(bodies) + 1`` pieces: body N goes after piece N."""
    bodies: tuple[str, ...] = ()
    """The author's Markdown, converted by the site with its own extensions."""
    headings: tuple[Heading, ...] = ()
    links: tuple[str, ...] = ()
    """Docs paths of the pages and files it links to, sorted: each must be in the site."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Warnings about the page, such as a diagram too large for Mermaid to draw."""

    @property
    def markdown(self) -> str:
        """The page as one Markdown file (``cjm render``): the comment, then the HTML as
        raw blocks with each body between them, as written."""
        pieces = [GENERATED_COMMENT, "\n\n", self.html[0]]
        for body, html in zip(self.bodies, self.html[1:], strict=True):
            pieces += ["\n", body.strip("\n"), "\n\n", html]
        return "".join(pieces).rstrip("\n") + "\n"


@dataclass(frozen=True)
class PageView:
    """Everything a page's template is given: the page is the same while this is equal.

    Compared by value (the views are frozen dataclasses, records and links), so
    ``mkdocs serve`` renders again only the pages whose view changed, with no
    list of what each page shows to keep up to date beside it.
    """

    template: str
    slot: tuple[str, str, str | None]
    """uri, kind, source."""
    layout: UrlLayout
    title: str
    diagnostics: tuple[Diagnostic, ...]
    context: dict[str, Any]


@dataclass(frozen=True)
class PlannedPage(PageSlot):
    """A page of the site before it is rendered: where it goes and what it will show."""

    view: Callable[[], PageView]

    def slot(self) -> PageSlot:
        """Where the page goes, without the records it is made from."""
        return PageSlot(self.uri, self.kind, self.source)


class Link(NamedTuple):
    """A link from a page to a generated page, as data: what it says and where it goes."""

    text: str
    """Plain text, escaped by the template that shows it."""
    target: str | None
    """The page's docs-relative ``.md`` path; ``None`` when there is no page (text alone)."""
    anchor: str | None = None


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
