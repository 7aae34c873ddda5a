"""Synthetic journey folders of realistic size, for the benchmarks.

Each journey has five stages of two steps, with touchpoints, pain points and
opportunities on every step; personas and touchpoints are shared, as in a
real collection. With ``features``, journeys also carry review dates and each
step its evidence and sources, and a measurement table (``measurements/``)
scores every touchpoint and one step of each journey. The output depends only
on the arguments.
"""

from __future__ import annotations

from pathlib import Path

STAGES = ("Awareness", "Consideration", "Purchase", "Onboarding", "Retention")
CHANNELS = ("web", "email", "social", "phone", "chat", "store", "mobile-app", "ads")
CATEGORIES = ("pre-purchase", "pre-purchase", "purchase", "post-purchase", "post-purchase")
EVIDENCE = ("observed", "reported", "assumed")
#: Review dates of featured journeys: some recent, some long past (stale maps).
REVIEWED = ("2026-10-12", "2026-06-01", "2025-11-20")


def persona_text(number: int) -> str:
    return (
        "---\ntype: persona\n"
        f"name: Persona {number}\nrole: Operations lead {number}\nsegment: Segment {number % 7}\n"
        "demographics:\n  age: 34\n  location: Lisbon\n"
        "goals: [Save time, Avoid surprises]\nchallenges: [Too many tools]\n"
        'quote: "Just make it work."\n---\n'
        f"Persona {number} was met in interviews.\n"
    )


def touchpoint_text(number: int) -> str:
    channel = CHANNELS[number % len(CHANNELS)]
    category = CATEGORIES[number % len(CATEGORIES)]
    return (
        f"---\ntype: touchpoint\nname: Touchpoint {number}\nchannel: {channel}\n"
        f"category: {category}\nowner: team-{number % 5}\n---\n"
        f"Where customers meet us ({channel}).\n"
    )


def journey_text(
    number: int, personas: int, touchpoints: int, variant: int = 0, *, features: bool = False
) -> str:
    """One journey; a different ``variant`` changes some emotions and pain points.

    With ``features``: a review date and period, and evidence and sources on each step.
    """
    persona = f"persona-{number % personas}"
    lines = [
        "---",
        "type: journey",
        f"title: Journey {number} of {persona}",
        f"personas: [{persona}]",
        "objective: Cut drop-off by a third",
        "owner: growth-team",
        "tags: [synthetic, benchmark]",
    ]
    if features:
        lines += [f"reviewed: {REVIEWED[number % len(REVIEWED)]}", "review_every: 90d"]
    lines += ["stages:"]
    for s, stage in enumerate(STAGES):
        lines += [f"  - name: {stage}", f"    goal: Get through {stage.lower()}", "    steps:"]
        for t in range(2):
            tp = f"touchpoint-{(number + s * 2 + t) % touchpoints}"
            emotion = 1 + (number + s + t + variant) % 5
            lines += [
                f"      - name: Step {t + 1} of {stage.lower()}",
                f"        touchpoints: [{tp}]",
                f"        emotion: {emotion}",
                '        thoughts: "Will this take long?"',
                f"        pain_points: [Waiting {s + t + variant} minutes, Unclear next step]",
                "        opportunities: [Show progress]",
                f"        moment_of_truth: {'true' if s == 2 and t == 0 else 'false'}",
            ]
            if features:
                lines += [
                    f"        evidence: {EVIDENCE[(number + s + t) % len(EVIDENCE)]}",
                    "        sources:",
                    f'          - "Interviews, May 2026 ({3 + s} participants)"',
                    f"          - https://research.example.com/journeys/{number}/{s}-{t}",
                ]
    lines += [
        "metrics:",
        "  - name: Conversion",
        '    before: "12%"',
        '    after: "18%"',
        "actions:",
        "  - title: Shorten the form",
        "    owner: web-team",
        "    due: 2025-03-01",
        "    status: planned",
        "---",
        f"Research notes for journey {number}.",
        "",
    ]
    return "\n".join(lines)


def measurements_text(journeys: int, touchpoints: int) -> str:
    """A measurement table as a real survey gives one: CSAT of every fiftieth touchpoint at
    two dates, and CES of one step per journey, in line with the map but on one journey
    in twenty (those drift, as some real steps do)."""
    rows = ["date,journey,step,touchpoint,metric,value,min,max,responses"]
    for n in range(0, touchpoints, 50):
        for date, shift in (("2026-04-01", 0.0), ("2026-10-01", 0.3)):
            value = 1.5 + (n % 7) * 0.5 + shift
            rows.append(f"{date},,,touchpoint-{n},CSAT,{value:.1f},1,5,{100 + n % 300}")
    for n in range(journeys):
        stated = 1 + (n + 2) % 5  # the emotion journey_text gives step 1 of the purchase stage
        value = 1 + (stated - 1) * 1.5 if n % 20 else 7 - (stated - 1) * 1.5
        rows.append(f"2026-10-01,journey-{n},step-1-of-purchase,,CES,{value:g},1,7,{20 + n % 50}")
    return "\n".join(rows) + "\n"


def write_folder(
    folder: Path, journeys: int, *, variant_every: int = 0, features: bool = False
) -> Path:
    """Write ``journeys`` journeys (and a persona per 10, a touchpoint per 4) to folder.

    With ``variant_every`` = k, every k-th journey is written in a changed variant,
    which is how the diff benchmark makes a second revision. With ``features``, the
    journeys carry review dates, evidence and sources, and ``measurements/survey.csv``
    holds a measurement table about them.
    """
    personas = max(3, journeys // 10)
    touchpoints = max(5, journeys // 4)
    for sub in ("personas", "touchpoints", "journeys"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for n in range(personas):
        (folder / "personas" / f"persona-{n}.md").write_text(persona_text(n))
    for n in range(touchpoints):
        (folder / "touchpoints" / f"touchpoint-{n}.md").write_text(touchpoint_text(n))
    for n in range(journeys):
        variant = 1 if variant_every and n % variant_every == 0 else 0
        (folder / "journeys" / f"journey-{n}.md").write_text(
            journey_text(n, personas, touchpoints, variant, features=features)
        )
    if features:
        (folder / "measurements").mkdir(exist_ok=True)
        (folder / "measurements" / "survey.csv").write_text(
            measurements_text(journeys, touchpoints)
        )
    return folder
