"""The journey-map records: personas, touchpoints and journeys, as the contract
in ``journey-format.md`` defines them.

Models are strict: a number or boolean where text is expected is an error,
never a silent ``"1"`` or ``"False"``, and unknown keys are refused so that a
typo never disappears. Front matter is validated here; where a value came from
(file, line, column) is the loader's business.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
)
from slugify import slugify

#: An id becomes a URL path segment, so only lower-case slugs are accepted.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG_RE = re.compile(SLUG_PATTERN)

#: Longest text accepted in one field: far beyond any real step or pain point,
#: short enough that a runaway paste is caught instead of bloating every page.
MAX_TEXT_LENGTH = 5_000
#: Most items in one list (goals, pain points, steps of a stage...).
MAX_LIST_LENGTH = 200
#: Most steps in one journey: past this a diagram stops being readable and
#: Mermaid refuses to draw it anyway.
MAX_STEPS_PER_JOURNEY = 500
#: More personas than this on one journey is a warning: the map loses focus.
MAX_PERSONAS_BEFORE_WARNING = 2

Channel = Literal[
    "web",
    "mobile-app",
    "email",
    "social",
    "phone",
    "chat",
    "store",
    "ads",
    "word-of-mouth",
    "other",
]
Category = Literal["pre-purchase", "purchase", "post-purchase"]
State = Literal["current", "future"]
ActionStatus = Literal["planned", "in-progress", "done"]
#: How a step is known: seen in analytics or sessions, said by customers, or believed.
Evidence = Literal["observed", "reported", "assumed"]

#: The same choices as tuples, in the contract's order, for pages and messages.
CHANNELS: tuple[str, ...] = get_args(Channel)
CATEGORIES: tuple[str, ...] = get_args(Category)
STATES: tuple[str, ...] = get_args(State)
ACTION_STATUSES: tuple[str, ...] = get_args(ActionStatus)
EVIDENCE_LEVELS: tuple[str, ...] = get_args(Evidence)

#: ``review_every``: a whole number of days, weeks or calendar months.
REVIEW_PERIOD_PATTERN = r"^[1-9][0-9]{0,3}[dwm]$"
_REVIEW_PERIOD_RE = re.compile(REVIEW_PERIOD_PATTERN)


def make_slug(text: str) -> str:
    """The default id of a stage or step: the contract's slug of its name."""
    return str(slugify(text))


def is_slug(value: str) -> bool:
    return bool(_SLUG_RE.match(value))


#: Names Windows reserves for devices: a page folder named so cannot be
#: written or checked out there, so such ids are refused everywhere.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(10)]
)


def _check_slug(value: str) -> str:
    if not _SLUG_RE.match(value):
        raise ValueError("slug")
    if value in RESERVED_NAMES:
        raise ValueError("reserved")
    return value


def _check_one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("one-line")
    return value


def _check_not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


def _parse_iso_date(value: Any) -> Any:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string, nothing looser."""
    if isinstance(value, dt.datetime):
        raise ValueError("date")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("date") from None
    raise ValueError("date")


def is_review_period(value: str) -> bool:
    """``90d``, ``12w`` or ``6m``: what ``review_every`` accepts."""
    return bool(_REVIEW_PERIOD_RE.match(value))


def _check_review_period(value: str) -> str:
    if not is_review_period(value):
        raise ValueError("review-period")
    return value


Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH)]
RequiredText = Annotated[Text, AfterValidator(_check_not_blank)]
OneLine = Annotated[Text, AfterValidator(_check_one_line)]
RequiredOneLine = Annotated[OneLine, AfterValidator(_check_not_blank)]
Slug = Annotated[str, Field(max_length=100), AfterValidator(_check_slug)]
TextList = Annotated[list[Text], Field(max_length=MAX_LIST_LENGTH)]
SlugList = Annotated[list[Slug], Field(max_length=MAX_LIST_LENGTH)]
TextOrNumber = Text | int | float
Emotion = Annotated[int, Field(ge=1, le=5)]
IsoDate = Annotated[dt.date, BeforeValidator(_parse_iso_date)]
ReviewPeriod = Annotated[str, AfterValidator(_check_review_period)]


class Record(BaseModel):
    """Shared settings: strict types, unknown keys refused, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class SourceFile(BaseModel):
    """Where a record came from, kept beside it for messages and page links."""

    model_config = ConfigDict(frozen=True)

    path: str
    """The file's path as shown to users (relative to the working folder)."""
    relative_path: str
    """The file's path inside the journeys folder, with ``/`` separators."""
    body: str = ""
    """The Markdown below the front matter, as written."""


class _FileRecord(Record):
    _source: SourceFile | None = PrivateAttr(default=None)

    @property
    def source(self) -> SourceFile:
        if self._source is None:
            return SourceFile(path="<memory>", relative_path="<memory>")
        return self._source

    @property
    def body(self) -> str:
        return self.source.body

    def with_source(self, source: SourceFile) -> _FileRecord:
        self._source = source
        return self


class Persona(_FileRecord):
    """Someone who takes the journeys: profile, goals and frustrations."""

    type: Literal["persona"]
    id: Slug
    name: RequiredOneLine
    role: OneLine | None = None
    segment: OneLine | None = None
    demographics: dict[str, TextOrNumber] = Field(default_factory=dict)
    goals: TextList = Field(default_factory=list)
    challenges: TextList = Field(default_factory=list)
    preferences: TextList = Field(default_factory=list)
    quote: Text | None = None


class TouchpointFields(Record):
    """The fields a touchpoint has, whether declared in a file or inline."""

    id: Slug
    name: RequiredOneLine
    channel: Channel
    category: Category | None = None
    owner: OneLine | None = None

    def same_declaration(self, other: TouchpointFields) -> bool:
        """Two declarations of one id must agree on every field."""
        return self.declared_fields() == other.declared_fields()

    def declared_fields(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "channel": self.channel,
            "category": self.category,
            "owner": self.owner,
        }


class InlineTouchpoint(TouchpointFields):
    """A touchpoint declared inside a journey's ``touchpoints:`` list."""

    type: Literal["touchpoint"] | None = None


class Touchpoint(TouchpointFields, _FileRecord):
    """A place where the customer meets the brand."""

    type: Literal["touchpoint"]
    _declared_in: tuple[str, ...] = PrivateAttr(default=())

    @property
    def declared_in(self) -> tuple[str, ...]:
        """Paths of every file that declares this touchpoint (file or inline)."""
        return self._declared_in


class Step(Record):
    """One thing the customer does, with how it feels."""

    name: RequiredOneLine
    id: Slug | None = None
    touchpoints: SlugList = Field(default_factory=list)
    emotion: Emotion
    actors: SlugList | None = None
    thoughts: Text | None = None
    pain_points: TextList = Field(default_factory=list)
    opportunities: TextList = Field(default_factory=list)
    moment_of_truth: bool = False
    evidence: Evidence | None = None
    sources: TextList = Field(default_factory=list)
    """Where the step's facts come from: text, or http(s) links."""

    @functools.cached_property
    def slug(self) -> str:
        """The step's id: as written, or the slug of its name (worked out once a step)."""
        return self.id if self.id is not None else make_slug(self.name)


class Stage(Record):
    """A phase of the journey; its steps happen in order."""

    name: RequiredOneLine
    id: Slug | None = None
    goal: Text | None = None
    steps: Annotated[list[Step], Field(min_length=1, max_length=MAX_STEPS_PER_JOURNEY)]

    @functools.cached_property
    def slug(self) -> str:
        """The stage's id: as written, or the slug of its name (worked out once a stage)."""
        return self.id if self.id is not None else make_slug(self.name)


class Metric(Record):
    name: RequiredOneLine
    before: TextOrNumber | None = None
    after: TextOrNumber | None = None


class Action(Record):
    """An actionable insight: who does what by when."""

    title: RequiredOneLine
    owner: OneLine | None = None
    due: IsoDate | None = None
    status: ActionStatus = "planned"


class Journey(_FileRecord):
    """A persona's path through the stages of an experience."""

    type: Literal["journey"]
    id: Slug
    title: RequiredOneLine
    personas: Annotated[SlugList, Field(min_length=1)]
    state: State = "current"
    compares_to: Slug | None = None
    objective: Text | None = None
    owner: OneLine | None = None
    tags: TextList = Field(default_factory=list)
    reviewed: IsoDate | None = None
    """When the map was last checked against reality."""
    review_every: ReviewPeriod | None = None
    """How often it must be: ``90d``, ``12w``, ``6m``; default from the options."""
    touchpoints: Annotated[list[InlineTouchpoint], Field(max_length=MAX_LIST_LENGTH)] = Field(
        default_factory=list
    )
    stages: Annotated[list[Stage], Field(min_length=1, max_length=MAX_LIST_LENGTH)]
    metrics: Annotated[list[Metric], Field(max_length=MAX_LIST_LENGTH)] = Field(
        default_factory=list
    )
    actions: Annotated[list[Action], Field(max_length=MAX_LIST_LENGTH)] = Field(
        default_factory=list
    )

    def all_steps(self) -> list[tuple[Stage, Step]]:
        """Every step in order, with its stage."""
        return [(stage, step) for stage in self.stages for step in stage.steps]

    def actors_of(self, step: Step) -> list[str]:
        """A step's actors: as written, or the journey's personas."""
        return list(step.actors) if step.actors is not None else list(self.personas)

    @property
    def average_emotion(self) -> float:
        emotions = [step.emotion for _, step in self.all_steps()]
        return sum(emotions) / len(emotions)

    @property
    def lowest_step(self) -> tuple[Stage, Step]:
        """The step that feels worst; the first one on a tie."""
        return min(self.all_steps(), key=lambda pair: pair[1].emotion)


RECORD_TYPES: dict[str, type[_FileRecord]] = {
    "persona": Persona,
    "touchpoint": Touchpoint,
    "journey": Journey,
}

AnyRecord = Persona | Touchpoint | Journey
