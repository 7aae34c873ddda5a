"""``cjm diff``: change sets between two maps, their formats, and the command."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from git_repos import GitRepo
from hypothesis import given, settings
from hypothesis import strategies as st

from cjm_plugin.cli import main
from cjm_plugin.diff import (
    ChangeSet,
    describe,
    diff_registries,
    format_json,
    format_markdown,
    format_text,
)
from cjm_plugin.load import SourceText, load_sources
from cjm_plugin.registry import Registry

# ---------------------------------------------------------------------------
# A small, valid map to change


def persona(persona_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"type": "persona", "id": persona_id, "name": name, **fields}


def touchpoint(touchpoint_id: str, name: str, channel: str) -> dict[str, Any]:
    return {"type": "touchpoint", "id": touchpoint_id, "name": name, "channel": channel}


def base_journey() -> dict[str, Any]:
    return {
        "type": "journey",
        "id": "course-purchase",
        "title": "Jane buys an online course",
        "personas": ["jane-doe"],
        "objective": "Cut checkout drop-off",
        "owner": "growth-team",
        "tags": ["checkout"],
        "stages": [
            {
                "name": "Awareness",
                "steps": [
                    {"name": "Sees an ad", "touchpoints": ["linkedin-ad"], "emotion": 3},
                    {"name": "Reads reviews", "emotion": 3},
                ],
            },
            {
                "name": "Purchase",
                "steps": [
                    {
                        "name": "Fills the checkout form",
                        "touchpoints": ["checkout-page"],
                        "emotion": 2,
                        "thoughts": "Why so many fields?",
                        "pain_points": ["Form is long"],
                        "opportunities": ["Autofill the address"],
                    },
                    {"name": "Pays", "touchpoints": ["checkout-page"], "emotion": 3},
                ],
            },
            {
                "name": "After",
                "steps": [
                    {"name": "Gets the receipt", "touchpoints": ["email-receipt"], "emotion": 4},
                ],
            },
        ],
        "metrics": [{"name": "Drop-off", "before": "40%", "after": "25%"}],
        "actions": [
            {"title": "Streamline the form", "owner": "web-team", "due": "2025-03-01"},
        ],
    }


Map = dict[str, dict[str, Any]]


def base_map() -> Map:
    """Relative path -> front matter; a body can be given under the key ``body``."""
    return {
        "personas/jane.md": persona("jane-doe", "Jane Doe", role="Marketing manager"),
        "personas/sam.md": persona("sam-lee", "Sam Lee"),
        "touchpoints/checkout.md": touchpoint("checkout-page", "Checkout page", "web"),
        "touchpoints/receipt.md": touchpoint("email-receipt", "Email receipt", "email"),
        "touchpoints/ad.md": touchpoint("linkedin-ad", "LinkedIn ad", "social"),
        "journeys/course.md": base_journey(),
    }


def file_text(front: dict[str, Any]) -> str:
    fields = {k: v for k, v in front.items() if k != "body"}
    text = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
    return f"---\n{text}---\n{front.get('body', '')}"


def registry_of(records: Map) -> Registry:
    sources = [
        SourceText(path, path, file_text(front).encode()) for path, front in sorted(records.items())
    ]
    result = load_sources(sources)
    assert result.registry is not None, [str(d) for d in result.errors]
    return result.registry


def diff_of(before: Map, after: Map) -> ChangeSet:
    return diff_registries(registry_of(before), registry_of(after), "before", "after")


def lines_after(change: Callable[[Map], None]) -> list[str]:
    """Describe what one edit of the base map changes in the journey."""
    after = copy.deepcopy(base_map())
    change(after)
    change_set = diff_of(base_map(), after)
    return [describe(c) for r in change_set.records for c in r.changes]


def journey_of(records: Map) -> dict[str, Any]:
    return records["journeys/course.md"]


def step_of(records: Map, stage: int, step: int) -> dict[str, Any]:
    result: dict[str, Any] = journey_of(records)["stages"][stage]["steps"][step]
    return result


# ---------------------------------------------------------------------------
# What is reported


def test_identical_maps_have_no_changes() -> None:
    change_set = diff_of(base_map(), base_map())
    assert not change_set.changed
    assert change_set.summary == "no changes"
    assert "no changes" in format_markdown(change_set)
    assert "no changes" in format_text(change_set)


def test_a_moved_or_renamed_file_with_the_same_id_is_no_change() -> None:
    after = base_map()
    after["elsewhere/deep/renamed-journey.md"] = after.pop("journeys/course.md")
    after["other/pay.md"] = after.pop("touchpoints/checkout.md")
    assert not diff_of(base_map(), after).changed


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "Jane buys a course", "title: Jane buys an online course → Jane buys a course"),
        ("state", "future", "state: current → future"),
        ("objective", "Halve drop-off", "objective: Cut checkout drop-off → Halve drop-off"),
        ("owner", "web-team", "owner: growth-team → web-team"),
        ("personas", ["jane-doe", "sam-lee"], "personas: jane-doe → jane-doe, sam-lee"),
        ("tags", [], "tags: checkout → (none)"),
    ],
)
def test_journey_fields(field: str, value: Any, expected: str) -> None:
    assert lines_after(lambda m: journey_of(m).update({field: value})) == [expected]


def test_compares_to() -> None:
    def change(m: Map) -> None:
        future = {**base_journey(), "id": "course-future", "state": "future"}
        future["compares_to"] = "course-purchase"
        m["journeys/future.md"] = future
        journey_of(m)["compares_to"] = "course-future"

    after = base_map()
    change(after)
    change_set = diff_of(base_map(), after)
    assert [(r.id, r.status) for r in change_set.records] == [
        ("course-future", "added"),
        ("course-purchase", "changed"),
    ]
    assert [describe(c) for c in change_set.records[1].changes] == [
        "compares_to: (none) → course-future"
    ]


def test_emotion_change_with_its_direction_and_the_average() -> None:
    after = base_map()
    step_of(after, 1, 0)["emotion"] = 4
    step_of(after, 2, 0)["emotion"] = 1
    change_set = diff_of(base_map(), after)
    (record,) = change_set.records
    assert [describe(c) for c in record.changes] == [
        "Fills the checkout form: emotion 2 → 4 (better)",
        "Gets the receipt: emotion 4 → 1 (worse)",
    ]
    assert (record.average_before, record.average_after) == (3.0, 2.8)
    assert "average emotion 3.00 → 2.80" in format_text(change_set)


def test_touchpoints_pain_points_opportunities_thoughts_and_moments_of_truth() -> None:
    def change(m: Map) -> None:
        form = step_of(m, 1, 0)
        form["touchpoints"] = ["email-receipt"]
        form["pain_points"] = ["Form is long", "No guest checkout"]
        form["opportunities"] = []
        form["thoughts"] = "Nearly there"
        form["moment_of_truth"] = True
        step_of(m, 1, 1)["actors"] = ["sam-lee"]

    assert lines_after(change) == [
        "Fills the checkout form: touchpoint detached: checkout-page",
        "Fills the checkout form: touchpoint attached: email-receipt",
        "Fills the checkout form: pain point added: No guest checkout",
        "Fills the checkout form: opportunity removed: Autofill the address",
        "Fills the checkout form: thoughts Why so many fields? → Nearly there",
        "Fills the checkout form: now a moment of truth",
        "Pays: actors (none) → sam-lee",
    ]
    before = base_map()
    step_of(before, 1, 1)["moment_of_truth"] = True
    cleared = diff_of(before, base_map()).records[0].changes
    assert [describe(c) for c in cleared] == ["Pays: no longer a moment of truth"]


def test_stages_added_removed_renamed_and_reordered() -> None:
    assert lines_after(lambda m: journey_of(m)["stages"][0].update(name="Discovery")) == [
        "stage renamed: Awareness → Discovery"  # same position: a rename
    ]

    def change(m: Map) -> None:
        stages = journey_of(m)["stages"]
        support = {"name": "Support", "steps": [{"name": "Asks for help", "emotion": 2}]}
        stages[:] = [stages[1], stages[2], support]

    assert lines_after(change) == [
        "stage added: Support",
        "stage removed: Awareness",
        "step added in Support: Asks for help",
        "step removed in Awareness: Sees an ad",
        "step removed in Awareness: Reads reviews",
    ]

    def rename_with_id(m: Map) -> None:
        stages = journey_of(m)["stages"]
        stages[1]["id"] = "purchase"
        stages[1]["name"] = "Buying"
        stages[1]["goal"] = "Pay quickly"
        stages[0], stages[2] = stages[2], stages[0]

    assert lines_after(rename_with_id) == [
        "stage renamed: Purchase → Buying",
        "stage Buying: goal (none) → Pay quickly",
        "stages reordered: Awareness, Purchase, After → After, Buying, Awareness",
    ]


def test_steps_added_removed_renamed_moved_and_reordered() -> None:
    def change(m: Map) -> None:
        awareness, purchase, after = journey_of(m)["stages"]
        ad, reviews = awareness["steps"]
        # renamed in place: same position, touchpoints and emotion
        ad["name"] = "Sees a LinkedIn ad"
        awareness["steps"] = [ad]
        # reordered within a stage, and a step moved in under the same name
        purchase["steps"] = [*reversed(purchase["steps"]), reviews]
        # one step replaced by another at the same place
        after["steps"] = [{"name": "Opens the course", "emotion": 5}]

    assert lines_after(change) == [
        "step renamed in Awareness: Sees an ad → Sees a LinkedIn ad",
        "Reads reviews: moved from stage Awareness to Purchase",
        "steps reordered in Purchase: Fills the checkout form, Pays"
        " → Pays, Fills the checkout form",
        "step added in After: Opens the course",
        "step removed in After: Gets the receipt",
    ]


def test_a_step_renamed_in_place_keeps_its_place_among_the_others() -> None:
    def change(m: Map) -> None:
        step_of(m, 1, 0)["name"] = "Fills the short form"  # same place, touchpoints, emotion

    assert lines_after(change) == [
        "step renamed in Purchase: Fills the checkout form → Fills the short form"
    ]


def test_a_different_step_at_the_same_position_is_not_a_rename() -> None:
    def change(m: Map) -> None:
        step_of(m, 0, 1).update({"name": "Asks a friend", "emotion": 5})

    assert lines_after(change) == [
        "step added in Awareness: Asks a friend",
        "step removed in Awareness: Reads reviews",
    ]


def test_metrics_and_actions() -> None:
    def change(m: Map) -> None:
        journey = journey_of(m)
        journey["metrics"] = [
            {"name": "Drop-off", "before": "40%", "after": "20%"},
            {"name": "NPS", "before": 10},
        ]
        journey["actions"] = [
            {
                "title": "Streamline the form",
                "owner": "web-team",
                "status": "done",
                "due": "2025-04-01",
            },
            {"title": "Add guest checkout"},
        ]

    assert lines_after(change) == [
        "metric Drop-off: after 25% → 20%",
        "metric added: NPS (before: 10, after: (none))",
        "action Streamline the form: due 2025-03-01 → 2025-04-01",
        "action Streamline the form: status planned → done",
        "action added: Add guest checkout (owner: (none), due: (none), status: planned)",
    ]
    assert lines_after(lambda m: journey_of(m).update(metrics=[], actions=[])) == [
        "metric removed: Drop-off (before: 40%, after: 25%)",
        "action removed: Streamline the form (owner: web-team, due: 2025-03-01, status: planned)",
    ]


def test_personas_and_touchpoints_fields_bodies_additions_and_removals() -> None:
    def change(m: Map) -> None:
        m["personas/jane.md"].update(role="Head of marketing", goals=["Learn fast"])
        m["personas/sam.md"]["body"] = "Sam's story.\n"
        m["touchpoints/ad.md"]["channel"] = "ads"
        m["personas/new.md"] = persona("kim-park", "Kim Park")
        del m["touchpoints/receipt.md"]
        step_of(m, 2, 0)["touchpoints"] = []

    after = base_map()
    change(after)
    change_set = diff_of(base_map(), after)
    assert [(r.type, r.id, r.status) for r in change_set.records] == [
        ("journey", "course-purchase", "changed"),
        ("persona", "jane-doe", "changed"),
        ("persona", "kim-park", "added"),
        ("persona", "sam-lee", "changed"),
        ("touchpoint", "email-receipt", "removed"),
        ("touchpoint", "linkedin-ad", "changed"),
    ]
    described = {r.id: [describe(c) for c in r.changes] for r in change_set.records}
    assert described["jane-doe"] == [
        "role: Marketing manager → Head of marketing",
        "goals: (none) → Learn fast",
    ]
    assert described["sam-lee"] == ["body changed"]
    assert described["linkedin-ad"] == ["channel: social → ads"]
    assert described["kim-park"] == []
    assert change_set.summary == (
        "1 journey changed, 1 persona added, 2 personas changed, "
        "1 touchpoint removed, 1 touchpoint changed"
    )


def test_a_journey_body_change_is_not_a_change_of_its_inline_touchpoints() -> None:
    def change(m: Map) -> None:
        journey = journey_of(m)
        journey["touchpoints"] = [{"id": "phone-line", "name": "Phone line", "channel": "phone"}]
        journey["body"] = "New research notes.\n"

    before = base_map()
    journey_of(before)["touchpoints"] = [
        {"id": "phone-line", "name": "Phone line", "channel": "phone"}
    ]
    after = base_map()
    change(after)
    change_set = diff_of(before, after)
    assert [(r.id, [describe(c) for c in r.changes]) for r in change_set.records] == [
        ("course-purchase", ["body changed"])
    ]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=5, max_size=5),
    st.lists(st.integers(1, 5), min_size=5, max_size=5),
)
def test_every_changed_emotion_is_reported_once(before: list[int], after: list[int]) -> None:
    def with_emotions(emotions: list[int]) -> Map:
        records = base_map()
        steps = [s for stage in journey_of(records)["stages"] for s in stage["steps"]]
        for step, emotion in zip(steps, emotions, strict=True):
            step["emotion"] = emotion
        return records

    change_set = diff_of(with_emotions(before), with_emotions(after))
    emotion_changes = [
        (c.before, c.after) for r in change_set.records for c in r.changes if c.kind == "emotion"
    ]
    assert emotion_changes == [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert change_set.changed == (before != after)
    reverse = diff_of(with_emotions(after), with_emotions(before))
    assert [(c.after, c.before) for r in reverse.records for c in r.changes] == emotion_changes


# ---------------------------------------------------------------------------
# Formats


def test_markdown_is_a_pull_request_comment_with_escaped_text_and_a_chart() -> None:
    after = base_map()
    journey_of(after)["title"] = "Jane <b>buys</b> | *now*"
    step_of(after, 1, 0)["emotion"] = 4
    step_of(after, 1, 1)["name"] = 'Pays "fast": done; #1'
    text = format_markdown(diff_of(base_map(), after))

    assert text.startswith("### Journey map changes\n")
    assert "**1 journey changed**" in text
    assert text.count("<details>") == text.count("</details>") == 1
    # <summary> is raw HTML (no Markdown inside); list items are Markdown.
    assert "changed: Jane &lt;b&gt;buys&lt;/b&gt; | *now* (average emotion" in text
    title_line = next(line for line in text.splitlines() if line.startswith("- **~** title:"))
    assert "<b>" not in title_line and "*now*" not in title_line and "| *" not in title_line
    assert "emotion 2 → 4" in text
    chart = re.search(
        r"```mermaid\n---\n(.*?)\n---\nxychart-beta\n(.*?)```\n\n(.*?)\n\n", text, re.S
    )
    assert chart is not None
    config, body, legend = chart.groups()
    assert "line [3, 3, 2, 3, 4]" in body and "line [3, 3, 4, 3, 4]" in body
    # The x axis numbers the steps: labels never overlap, and no author text.
    assert '    x-axis "Step" ["1", "2", "3", "4", "5"]\n' in body
    # Both lines' colours are set in the chart itself, named in words under it.
    palette = re.search(r'plotColorPalette: "(#[0-9a-f]{6}), (#[0-9a-f]{6})"', config)
    assert palette is not None and palette.group(1) != palette.group(2)
    assert legend == (
        "Lines: 🟦 blue, before; 🟧 orange, after."
        " Where the emotion did not change, the orange line covers the blue one."
    )
    # The steps the numbers stand for, escaped, with the emotion change.
    assert text.split(legend, 1)[1].startswith(
        "\n\n1. Sees an ad (emotion 3)\n2. Reads reviews (emotion 3)\n"
        "3. Fills the checkout form (emotion 2 → 4)\n"
        '4. Pays "fast": done; \\#1 (emotion 3)\n5. Gets the receipt (emotion 4)\n\n</details>'
    )


def test_markdown_chart_legend_names_the_compared_revisions() -> None:
    after = base_map()
    step_of(after, 1, 0)["emotion"] = 4
    change_set = diff_registries(registry_of(base_map()), registry_of(after), "main", "*HEAD*")
    text = format_markdown(change_set)
    assert "Lines: 🟦 blue, before (main); 🟧 orange, after (\\*HEAD\\*). Where" in text


def test_markdown_chart_grows_with_the_steps_so_numbers_keep_apart() -> None:
    def many(emotion: int) -> dict[str, dict[str, Any]]:
        records = base_map()
        journey_of(records)["stages"] = [
            {"name": "Only", "steps": [{"name": f"S{n}", "emotion": emotion} for n in range(120)]}
        ]
        return records

    text = format_markdown(diff_of(many(3), many(4)))
    width = re.search(r"xyChart:\n    width: (\d+)\n", text)
    assert width is not None and int(width.group(1)) >= 120 * 44
    assert "120. S119 (emotion 3 → 4)" in text


def test_markdown_draws_one_chart_per_side_when_steps_differ() -> None:
    after = base_map()
    journey_of(after)["stages"][2]["steps"].append({"name": "Leaves a review", "emotion": 5})
    text = format_markdown(diff_of(base_map(), after))
    assert text.count("xychart-beta") == 2
    assert "line [3, 3, 2, 3, 4]\n" in text and "line [3, 3, 2, 3, 4, 5]\n" in text
    palettes = re.findall(r'plotColorPalette: "([^"]*)"', text)
    assert len(palettes) == 2 and palettes[0] != palettes[1]
    assert "Line: 🟦 blue, before." in text and "Line: 🟧 orange, after." in text
    assert "6. Leaves a review (emotion 5)" in text


def test_no_chart_without_emotion_changes() -> None:
    after = base_map()
    journey_of(after)["title"] = "Another title"
    assert "xychart" not in format_markdown(diff_of(base_map(), after))


def test_text_is_coloured_only_on_request() -> None:
    after = base_map()
    step_of(after, 0, 0)["pain_points"] = ["Too generic"]
    change_set = diff_of(base_map(), after)
    plain = format_text(change_set)
    assert "\x1b[" not in plain
    assert "  + Sees an ad: pain point added: Too generic" in plain
    assert "\x1b[32m" in format_text(change_set, color=True)


def test_text_keeps_author_text_on_one_line_without_control_characters() -> None:
    """A CI log must not read a pain point as a new line, such as a GitHub workflow command."""
    after = base_map()
    journey_of(after)["objective"] = "Objective\n::error::forged"
    step_of(after, 0, 0)["pain_points"] = ["Slow\n::add-mask::secret \x1b[31mred"]
    plain = format_text(diff_of(base_map(), after))
    assert not any(line.startswith("::") for line in plain.splitlines())
    assert "\x1b" not in plain
    assert "pain point added: Slow ::add-mask::secret \ufffd[31mred" in plain


JSON_RECORD_KEYS = {
    "type",
    "id",
    "status",
    "title",
    "path",
    "average_emotion",
    "emotions",
    "changes",
}
JSON_CHANGE_KEYS = {"kind", "stage", "step", "field", "item", "before", "after"}


def test_json_has_the_documented_keys() -> None:
    after = base_map()
    step_of(after, 1, 0)["emotion"] = 5
    after["personas/new.md"] = persona("kim-park", "Kim Park")
    document = json.loads(format_json(diff_of(base_map(), after)))

    assert set(document) == {
        "format",
        "version",
        "before",
        "after",
        "changed",
        "summary",
        "records",
    }
    assert (document["format"], document["version"], document["changed"]) == ("cjm-diff", 1, True)
    journey, new_persona = document["records"]
    assert set(journey) == set(new_persona) == JSON_RECORD_KEYS
    assert journey["average_emotion"] == {"before": 3.0, "after": 3.6}
    assert journey["emotions"]["after"][2] == {
        "stage": "Purchase",
        "step": "Fills the checkout form",
        "emotion": 5,
    }
    assert journey["changes"] == [
        {
            "kind": "emotion",
            "stage": "Purchase",
            "step": "Fills the checkout form",
            "field": None,
            "item": None,
            "before": 2,
            "after": 5,
        }
    ]
    assert new_persona["average_emotion"] is None and new_persona["changes"] == []
    assert all(set(c) == JSON_CHANGE_KEYS for r in document["records"] for c in r["changes"])


# ---------------------------------------------------------------------------
# The command, on real git repositories


class Repo(GitRepo):
    """A repository whose journeys folder is rewritten from records for each revision."""

    def write_map(self, records: Map, folder: str = "journeys") -> None:
        target = self.root / folder
        if target.exists():
            for path in sorted(target.rglob("*.md"), reverse=True):
                path.unlink()
        for relative, front in records.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file_text(front), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    repository = Repo(tmp_path / "repo")
    monkeypatch.chdir(repository.root)
    return repository


def cjm(*arguments: str) -> Any:
    return CliRunner().invoke(main, ["diff", *arguments])


def edited_map() -> Map:
    records = base_map()
    step_of(records, 1, 0)["emotion"] = 4
    return records


def test_head_against_the_working_tree(repo: Repo) -> None:
    repo.write_map(base_map())
    repo.commit("one")
    clean = cjm()
    assert clean.exit_code == 0
    assert "HEAD → working tree: **no changes**" in clean.stdout
    assert "<details>" not in clean.stdout

    repo.write_map(edited_map())
    result = cjm("--format", "text")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "HEAD → working tree: 1 journey changed"
    assert "Fills the checkout form: emotion 2 → 4" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_two_revisions_and_exit_code(repo: Repo) -> None:
    repo.write_map(base_map())
    repo.commit("one")
    repo.write_map(edited_map())
    repo.commit("two")
    repo.write_map(base_map())  # the working tree must not matter

    result = cjm("HEAD~1", "HEAD", "--format", "json", "--exit-code")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["before"], document["after"]) == ("HEAD~1", "HEAD")
    assert document["summary"] == "1 journey changed"
    assert cjm("HEAD", "HEAD", "--exit-code").exit_code == 0
    assert cjm("HEAD~1", "--exit-code").exit_code == 0  # HEAD~1 equals the working tree


def test_a_file_moved_between_folders_is_no_change(repo: Repo) -> None:
    repo.write_map(base_map())
    repo.commit("one")
    moved = base_map()
    moved["archive/2024/course.md"] = moved.pop("journeys/course.md")
    repo.write_map(moved)
    repo.commit("move")
    result = cjm("HEAD~1", "HEAD", "--exit-code", "--format", "text")
    assert (result.exit_code, result.stdout) == (0, "HEAD~1 → HEAD: no changes\n")


def test_a_revision_without_the_folder_has_everything_added(repo: Repo) -> None:
    (repo.root / "README.md").write_text("a project\n")
    repo.commit("before the maps")
    repo.write_map(base_map())
    repo.commit("maps")
    document = json.loads(cjm("HEAD~1", "HEAD", "--format", "json").stdout)
    assert {(r["type"], r["id"], r["status"]) for r in document["records"]} == {
        ("journey", "course-purchase", "added"),
        ("persona", "jane-doe", "added"),
        ("persona", "sam-lee", "added"),
        ("touchpoint", "checkout-page", "added"),
        ("touchpoint", "email-receipt", "added"),
        ("touchpoint", "linkedin-ad", "added"),
    }
    removed = json.loads(cjm("HEAD", "HEAD~1", "--format", "json").stdout)
    assert {r["status"] for r in removed["records"]} == {"removed"}


def test_journeys_dir_names_another_folder(repo: Repo) -> None:
    repo.write_map(base_map(), folder="docs/maps")
    repo.commit("one")
    repo.write_map(edited_map(), folder="docs/maps")
    assert "emotion 2 → 4" in cjm("--journeys-dir", "docs/maps", "--format", "text").stdout
    missing = cjm("--journeys-dir", "nowhere")
    assert missing.exit_code == 2
    assert "nowhere" in missing.stderr


def test_two_folders_are_compared_without_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for folder, records in (("old", base_map()), ("new", edited_map())):
        for relative, front in records.items():
            path = tmp_path / folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file_text(front), encoding="utf-8")
    result = cjm("old", "new", "--format", "text", "--exit-code")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "old → new: 1 journey changed"
    outside = cjm("HEAD")
    assert outside.exit_code == 2 and "not inside a git repository" in outside.stderr


def test_an_unknown_revision_is_a_usage_error(repo: Repo) -> None:
    repo.write_map(base_map())
    repo.commit("one")
    result = cjm("no-such-branch")
    assert result.exit_code == 2
    assert "no-such-branch" in result.stderr


def file_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("File: ")]


def test_file_paths_are_as_the_repository_shows_them(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write_map(base_map(), folder="docs/maps")
    repo.commit("one")
    edited = edited_map()
    del edited["personas/sam.md"]
    repo.write_map(edited, folder="docs/maps")
    expected = ["File: docs/maps/journeys/course.md", "File: docs/maps/personas/sam.md"]
    assert file_lines(cjm("--journeys-dir", "docs/maps").stdout) == expected
    repo.commit("two")
    assert file_lines(cjm("HEAD~1", "HEAD", "--journeys-dir", "docs/maps").stdout) == expected
    monkeypatch.chdir(repo.root / "docs")  # from a sub-folder: still from the top
    assert file_lines(cjm("HEAD~1", "--journeys-dir", "maps").stdout) == expected
    # JSON keeps its documented paths, inside the journeys folder.
    document = json.loads(cjm("HEAD~1", "--journeys-dir", "maps", "--format", "json").stdout)
    assert [r["path"] for r in document["records"]] == ["journeys/course.md", "personas/sam.md"]


def test_file_paths_of_two_folders_name_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    edited = edited_map()
    del edited["personas/sam.md"]
    for folder, records in (("old", base_map()), ("new/maps", edited)):
        for relative, front in records.items():
            path = tmp_path / folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file_text(front), encoding="utf-8")
    assert file_lines(cjm("old", "./new/maps/").stdout) == [
        "File: new/maps/journeys/course.md",
        "File: old/personas/sam.md",
    ]


def test_an_unknown_revision_in_a_shallow_clone_says_to_fetch_the_history(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write_map(base_map())
    repo.commit("one")
    repo.write_map(edited_map())
    repo.commit("two")
    shallow = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", repo.root.as_uri(), str(shallow))
    monkeypatch.chdir(shallow)
    result = cjm("HEAD~1")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: unknown revision 'HEAD~1'; this is a shallow clone: fetch the history "
        "(actions/checkout with fetch-depth: 0)"
    )


def test_an_invalid_side_names_the_revision_and_the_spot(repo: Repo) -> None:
    repo.write_map(base_map())
    repo.commit("good")
    bad = (repo.root / "journeys" / "journeys" / "course.md").read_text()
    bad = bad.replace("emotion: 2", "emotion: 7")
    (repo.root / "journeys" / "journeys" / "course.md").write_text(bad)
    line = next(n for n, text in enumerate(bad.splitlines(), start=1) if "emotion: 7" in text)
    repo.commit("bad")
    repo.write_map(base_map())

    result = cjm("HEAD~1", "HEAD")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "HEAD is not a valid journey map (1 error)" in result.stderr
    assert re.search(
        rf"^HEAD:journeys/journeys/course\.md:{line}:\d+: error: .*emotion", result.stderr, re.M
    )
    working = cjm("HEAD")
    assert working.exit_code == 3
    assert "working tree" not in working.stderr and "HEAD is not a valid" in working.stderr


def test_diff_leaves_the_working_tree_and_index_untouched(repo: Repo) -> None:
    repo.write_map(base_map())
    repo.commit("one")
    repo.write_map(edited_map())
    repo.commit("two")
    repo.write_map(base_map())
    (repo.root / "journeys" / "untracked.md").write_text(file_text(persona("new-one", "New")))
    status = repo.git("status", "--porcelain", "--untracked-files=all")
    index = (repo.root / ".git" / "index").read_bytes()
    head = repo.git("rev-parse", "HEAD")

    for arguments in ((), ("HEAD~1",), ("HEAD~1", "HEAD")):
        assert cjm(*arguments).exit_code == 0

    assert repo.git("status", "--porcelain", "--untracked-files=all") == status
    assert (repo.root / ".git" / "index").read_bytes() == index
    assert repo.git("rev-parse", "HEAD") == head
