"""Loading and validating journey folders: every bad input has its exact message."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Any

import pytest
from maps import JOURNEY, PERSONA, TOUCHPOINT, make_folder, valid_files

from cjm_plugin.load import (
    MAX_FILE_BYTES,
    ParseCache,
    SourceText,
    load_folder,
    parse_file,
    read_folder,
)
from cjm_plugin.load import files as load_files
from cjm_plugin.load.sources import claimed_suffixes
from cjm_plugin.load.yaml_values import Locator


def messages(root: Path, files: dict[str, str | bytes]) -> list[str]:
    """Load the files and return every diagnostic, paths relative to the folder."""
    folder = make_folder(root, files)
    result = load_folder(folder)
    prefix = folder.as_posix() + "/"
    return [str(d).replace(prefix, "") for d in result.diagnostics]


def test_valid_folder_builds_registry(tmp_path: Path) -> None:
    result = load_folder(make_folder(tmp_path, valid_files()))
    assert result.diagnostics == []
    registry = result.registry
    assert registry is not None
    assert list(registry.personas) == ["jane-doe"]
    assert list(registry.touchpoints) == ["checkout-page", "linkedin-ad"]
    journey = registry.journeys["buy"]
    assert journey.body == "Notes.\n"
    assert journey.state == "current"
    assert [stage.slug for stage in journey.stages] == ["awareness", "purchase"]
    assert journey.actors_of(journey.stages[0].steps[0]) == ["jane-doe"]
    uses = registry.touchpoint_uses("checkout-page")
    assert [(u.journey.id, u.stage.slug, u.step.name) for u in uses] == [
        ("buy", "purchase", "Pays")
    ]
    assert [j.id for j in registry.journeys_of("jane-doe")] == ["buy"]
    assert [t.id for t in registry.touchpoints_of("jane-doe")] == ["checkout-page", "linkedin-ad"]
    assert registry.touchpoints["linkedin-ad"].declared_in == (journey.source.path,)
    assert registry.touchpoints["linkedin-ad"].source.relative_path == "buy.md"
    assert registry.touchpoints["linkedin-ad"].body == ""


def test_bom_and_crlf_read_the_same(tmp_path: Path) -> None:
    files = valid_files()
    files["buy.md"] = b"\xef\xbb\xbf" + JOURNEY.replace("\n", "\r\n").encode()
    result = load_folder(make_folder(tmp_path, files))
    assert result.diagnostics == []
    assert result.registry is not None
    assert result.registry.journeys["buy"].body == "Notes.\n"


def test_bom_and_crlf_keep_line_numbers(tmp_path: Path) -> None:
    files = valid_files()
    bad = JOURNEY.replace("emotion: 2", "emotion: 9")
    files["buy.md"] = b"\xef\xbb\xbf" + bad.replace("\n", "\r\n").encode()
    assert messages(tmp_path, files) == [
        "buy.md:19:18: error: emotion must be an integer from 1 to 5, got 9 [cjm.emotion-range]"
    ]


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        (
            "emotion: 2",
            "emotion: 7",
            "buy.md:19:18: error: emotion must be an integer from 1 to 5, got 7 [cjm.emotion-range]",
        ),
        (
            "emotion: 2",
            "emotion: 2.5",
            "buy.md:19:18: error: emotion must be an integer from 1 to 5, got 2.5 [cjm.emotion-range]",
        ),
        (
            "emotion: 2",
            "emotion: true",
            "buy.md:19:18: error: emotion must be an integer from 1 to 5, got boolean true "
            "[cjm.emotion-range]",
        ),
        (
            "emotion: 2",
            "emotion: '2'",
            "buy.md:19:18: error: emotion must be an integer from 1 to 5, got '2' [cjm.emotion-range]",
        ),
        (
            "title: Jane buys an online course",
            "title: yes",
            "buy.md:3:8: error: 'title' must be text, got boolean true "
            "(put it in quotes to keep it as text) [cjm.type]",
        ),
        (
            "      - name: Pays",
            "      - name: 1",
            "buy.md:17:15: error: 'name' must be text, got 1 (put it in quotes to keep it as text) "
            "[cjm.type]",
        ),
        (
            "title: Jane buys an online course",
            "titel: Jane buys an online course",
            "buy.md:3:1: error: unknown key 'titel'; did you mean 'title'? [cjm.unknown-key]",
        ),
        (
            "        pain_points: [Long form]",
            "        pain_point: [Long form]",
            "buy.md:20:9: error: unknown key 'pain_point'; did you mean 'pain_points'? "
            "[cjm.unknown-key]",
        ),
        (
            "title: Jane buys an online course\n",
            "",
            "buy.md:2:1: error: missing required field 'title' [cjm.missing-field]",
        ),
        (
            "    channel: social",
            "    channel: tv",
            "buy.md:8:14: error: 'channel' must be one of web, mobile-app, email, social, phone, "
            "chat, store, ads, word-of-mouth, other; got 'tv' [cjm.invalid-choice]",
        ),
        (
            "personas: [jane-doe]",
            "personas: [jane-do]",
            "buy.md:4:12: error: unknown persona 'jane-do'; did you mean 'jane-doe'? "
            "[cjm.unknown-reference]",
        ),
        (
            "touchpoints: [checkout-page]",
            "touchpoints: [checkout-pag]",
            "buy.md:18:23: error: unknown touchpoint 'checkout-pag'; did you mean 'checkout-page'? "
            "[cjm.unknown-reference]",
        ),
        (
            "personas: [jane-doe]",
            "personas: [jane-doe]\ncompares_to: buy-futur",
            "buy.md:5:14: error: unknown journey 'buy-futur'; no journey is declared yet "
            "[cjm.unknown-reference]",
        ),
        (
            "personas: [jane-doe]",
            "personas: []",
            "buy.md:4:11: error: 'personas' needs at least 1 item [cjm.empty-list]",
        ),
        (
            "personas: [jane-doe]",
            "personas: jane-doe",
            "buy.md:4:11: error: 'personas' must be a list, got 'jane-doe' [cjm.type]",
        ),
        (
            "      - name: Pays",
            '      - name: "Pays\\nnow"',
            "buy.md:17:15: error: 'name' must be a single line [cjm.one-line]",
        ),
        (
            "personas: [jane-doe]",
            "personas: [jane-doe]\nactions:\n  - title: Fix\n    due: 2025-02-30",
            "buy.md:7:10: error: 'due' must be an ISO date (YYYY-MM-DD), got '2025-02-30' [cjm.date]",
        ),
        (
            "personas: [jane-doe]",
            "personas: [jane-doe]\nmetrics:\n  - name: CSAT\n    before: no",
            "buy.md:7:13: error: 'before' must be text or a number, got boolean false [cjm.type]",
        ),
    ],
)
def test_bad_journey_field(tmp_path: Path, replace: str, by: str, expected: str) -> None:
    files = valid_files()
    assert replace in JOURNEY
    files["buy.md"] = JOURNEY.replace(replace, by, 1)
    assert messages(tmp_path, files) == [expected]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "no front matter\n",
            "x.md:1:1: error: missing front matter: a journey file starts with "
            "a line '---', then YAML fields, then a closing '---' [cjm.front-matter]",
        ),
        (
            "---\ntype: persona\nname: X\n",
            "x.md:1:1: error: front matter opened on line 1 is "
            "never closed: add a line '---' after it [cjm.front-matter]",
        ),
        (
            "---\n---\n",
            "x.md:1:1: error: front matter is empty: it needs at least 'type:' [cjm.front-matter]",
        ),
        (
            "---\n- a\n- b\n---\n",
            "x.md:2:1: error: front matter must be a mapping of fields, "
            "got a list [cjm.front-matter]",
        ),
        (
            "---\ntype: persona\nname: [unclosed\n---\n",
            "x.md:3:7: error: this '[' list is never closed with ']' (YAML reached the end "
            "of the front matter on line 4) [cjm.yaml-syntax]",
        ),
        (
            "---\ntype: persona\n  name: X\n---\n",
            "x.md:3:7: error: YAML does not parse: mapping "
            "values are not allowed in this context [cjm.yaml-syntax]",
        ),
        (
            "---\nname: X\n---\n",
            "x.md:2:1: error: missing required field 'type' (persona, "
            "touchpoint or journey) [cjm.missing-field]",
        ),
        (
            "---\ntype: persna\nname: X\n---\n",
            "x.md:2:7: error: unknown type 'persna': expected "
            "persona, touchpoint or journey; did you mean 'persona'? [cjm.unknown-type]",
        ),
        (
            "---\ntype: persona\nname: X\nname: Y\n---\n",
            "x.md:4:1: error: key 'name' appears "
            "twice in one mapping: on line 3 and on line 4 [cjm.duplicate-key]",
        ),
        (
            "---\ntype: persona\nname: !!python/object:os.system X\n---\n",
            "x.md:3:7: error: YAML "
            "tag '!!python/object:os.system' is not allowed; only plain text, numbers, booleans, "
            "dates, lists and mappings are [cjm.yaml-tag]",
        ),
        (
            "---\ntype: persona\nname: !custom X\n---\n",
            "x.md:3:7: error: YAML tag '!custom' is "
            "not allowed; only plain text, numbers, booleans, dates, lists and mappings are "
            "[cjm.yaml-tag]",
        ),
        (
            "---\ntype: persona\nname: &n X\nrole: *n\n---\n",
            "x.md:4:1: error: YAML anchors and "
            "aliases (&name, *name) are not allowed; write the value out in full [cjm.yaml-alias]",
        ),
        (
            "---\ntype: persona\nid: Jane/Doe\nname: X\n---\n",
            "x.md:3:5: error: 'id' must be a "
            "lower-case slug (letters a-z, digits and single hyphens, like 'jane-doe'), got "
            "'Jane/Doe' [cjm.id-format]",
        ),
        (
            "---\ntype: persona\nid: ''\nname: X\n---\n",
            "x.md:3:5: error: 'id' must be a "
            "lower-case slug (letters a-z, digits and single hyphens, like 'jane-doe'), got '' "
            "[cjm.id-format]",
        ),
        (
            "---\ntype: persona\nid: nul\nname: X\n---\n",
            "x.md:3:5: error: 'id' 'nul' is a "
            "reserved device name on Windows; choose another id [cjm.id-format]",
        ),
        (
            "---\ntype: persona\nid: ../etc\nname: X\n---\n",
            "x.md:3:5: error: 'id' must be a "
            "lower-case slug (letters a-z, digits and single hyphens, like 'jane-doe'), got "
            "'../etc' [cjm.id-format]",
        ),
        (
            "---\ntype: persona\nname: X\ndemographics:\n  age: [1]\n---\n",
            "x.md:5:8: error: 'age' must be text or a number, got a list [cjm.type]",
        ),
        (
            "---\ntype: touchpoint\nname: X\n---\n",
            "x.md:2:1: error: missing required field 'channel' [cjm.missing-field]",
        ),
    ],
)
def test_bad_file(tmp_path: Path, content: str, expected: str) -> None:
    assert messages(tmp_path, {"x.md": content}) == [expected]


def test_id_from_file_name_must_be_a_slug(tmp_path: Path) -> None:
    assert messages(tmp_path, {"Jane Doe.md": PERSONA}) == [
        "Jane Doe.md:1:1: error: the id defaults to the file name, and 'Jane Doe' is not a "
        "lower-case slug (letters a-z, digits and single hyphens): rename the file or set 'id:' "
        "[cjm.id-format]"
    ]


def test_not_utf8(tmp_path: Path) -> None:
    data = b"---\ntype: persona\nname: Ren\xe9\n---\n"
    assert messages(tmp_path, {"x.md": data}) == [
        "x.md:3:10: error: file is not valid UTF-8 (byte 0xe9); save it as UTF-8 [cjm.encoding]"
    ]


def test_file_over_size_cap(tmp_path: Path) -> None:
    data = PERSONA + "x" * MAX_FILE_BYTES
    assert messages(tmp_path, {"x.md": data}) == [
        "x.md:1:1: error: file is larger than 1024 KiB; split it into smaller records "
        "[cjm.file-too-large]"
    ]


def test_duplicate_id_names_both_files(tmp_path: Path) -> None:
    files = valid_files()
    files["more/other.md"] = PERSONA.replace("name: Jane Doe", "id: jane-doe\nname: Jane D.")
    assert messages(tmp_path, files) == [
        "more/other.md:3:5: error: duplicate persona id 'jane-doe': already declared in "
        "jane-doe.md (id from its file name) [cjm.duplicate-id]"
    ]


def test_duplicate_id_names_the_line_of_a_written_id(tmp_path: Path) -> None:
    files = valid_files()
    files["jane-doe.md"] = PERSONA.replace("type: persona", "type: persona\nid: jane")
    files["other.md"] = PERSONA.replace("name: Jane Doe", "id: jane\nname: Jane D.")
    found = [m for m in messages(tmp_path, files) if "duplicate-id" in m]
    assert found == [
        "other.md:3:5: error: duplicate persona id 'jane': already declared in "
        "jane-doe.md:3:5 [cjm.duplicate-id]"
    ]


def test_inline_touchpoint_conflicting_with_file(tmp_path: Path) -> None:
    files = valid_files()
    files["buy.md"] = JOURNEY.replace(
        "  - id: linkedin-ad",
        "  - id: checkout-page\n    name: Checkout\n    channel: web\n  - id: linkedin-ad",
    )
    assert messages(tmp_path, files) == [
        "buy.md:6:9: error: touchpoint 'checkout-page' is declared again with different name, "
        "category than in checkout-page.md (id from its file name) [cjm.touchpoint-conflict]"
    ]


def test_inline_touchpoint_declared_twice_identically_is_fine(tmp_path: Path) -> None:
    files = valid_files()
    files["again.md"] = JOURNEY
    files["again.md"] = JOURNEY.replace("title: Jane buys", "id: again\ntitle: Jane buys")
    result = load_folder(make_folder(tmp_path, files))
    assert result.errors == []
    assert result.registry is not None
    assert len(result.registry.touchpoints["linkedin-ad"].declared_in) == 2


def test_too_many_personas_is_a_warning(tmp_path: Path) -> None:
    files = valid_files()
    for name in ("bob", "carl"):
        files[f"{name}.md"] = PERSONA.replace("Jane Doe", name)
    files["buy.md"] = JOURNEY.replace("personas: [jane-doe]", "personas: [jane-doe, bob, carl]")
    assert messages(tmp_path, files) == [
        "buy.md:4:1: warning: journey has 3 personas; a map stays clear with at most 2, so "
        "consider one journey per persona [cjm.many-personas]"
    ]
    assert load_folder(tmp_path / "journeys").ok


def test_compares_to_links_both_ways(tmp_path: Path) -> None:
    files = valid_files()
    files["buy.md"] = JOURNEY.replace(
        "personas: [jane-doe]", "personas: [jane-doe]\ncompares_to: buy-future"
    )
    files["buy-future.md"] = JOURNEY.replace(
        "personas: [jane-doe]", "personas: [jane-doe]\nstate: future"
    )
    result = load_folder(make_folder(tmp_path, files))
    assert result.diagnostics == []
    assert result.registry is not None
    assert result.registry.counterpart("buy-future") is result.registry.journeys["buy"]
    assert result.registry.counterpart("buy") is result.registry.journeys["buy-future"]


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    files = valid_files()
    files["buy.md"] = JOURNEY.replace("emotion: 2", "emotion: 0").replace(
        "emotion: 3", "emotion: 6"
    )
    files["bad.md"] = "---\ntype: persona\n---\n"
    found = messages(tmp_path, files)
    assert found == [
        "bad.md:2:1: error: missing required field 'name' [cjm.missing-field]",
        "buy.md:14:18: error: emotion must be an integer from 1 to 5, got 6 [cjm.emotion-range]",
        "buy.md:19:18: error: emotion must be an integer from 1 to 5, got 0 [cjm.emotion-range]",
    ]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["---", "type: persona", "name: X", 'a0: &a0 ["lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 30):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append("---")
    found = messages(tmp_path, {"bomb.md": "\n".join(lines) + "\n"})
    assert found == [
        "bomb.md:5:5: error: YAML anchors and aliases (&name, *name) are not allowed; write the "
        "value out in full [cjm.yaml-alias]"
    ]


def test_unknown_keys_are_never_dropped_in_nested_records(tmp_path: Path) -> None:
    files = valid_files()
    files["buy.md"] = JOURNEY.replace("  - name: Purchase", "  - name: Purchase\n    gaol: Pay")
    assert messages(tmp_path, files) == [
        "buy.md:16:5: error: unknown key 'gaol'; did you mean 'goal'? [cjm.unknown-key]"
    ]


def test_hidden_folders_and_other_files_are_ignored(tmp_path: Path) -> None:
    files = valid_files()
    files[".drafts/broken.md"] = "not a record"
    files["notes.txt"] = "not markdown"
    assert messages(tmp_path, files) == []


def test_references_of_an_invalid_journey_are_checked_in_the_same_run(tmp_path: Path) -> None:
    files = valid_files()
    files["buy.md"] = (
        JOURNEY.replace("  - id: linkedin-ad", "  - id: LinkedIn.ad")
        .replace("emotion: 2", "emotion: 9")
        .replace("personas: [jane-doe]", "personas: [jane-do]")
    )
    assert messages(tmp_path, files) == [
        "buy.md:4:12: error: unknown persona 'jane-do'; did you mean 'jane-doe'? "
        "[cjm.unknown-reference]",
        "buy.md:6:9: error: 'id' must be a lower-case slug (letters a-z, digits and single "
        "hyphens, like 'jane-doe'), got 'LinkedIn.ad' [cjm.id-format]",
        "buy.md:13:23: error: unknown touchpoint 'linkedin-ad'; did you mean 'LinkedIn.ad'? "
        "[cjm.unknown-reference]",
        "buy.md:19:18: error: emotion must be an integer from 1 to 5, got 9 [cjm.emotion-range]",
    ]


def test_a_journey_valid_or_not_is_never_suggested_as_its_own_counterpart(tmp_path: Path) -> None:
    """Both kinds of journey are checked from the same table of references."""
    files = valid_files()
    files["buy.md"] = buy = JOURNEY.replace("type: journey", "type: journey\ncompares_to: buz")
    files["bux.md"] = buy.replace("emotion: 2", "emotion: 9")
    assert messages(tmp_path, files) == [
        "bux.md:3:14: error: unknown journey 'buz'; did you mean 'buy'? [cjm.unknown-reference]",
        "bux.md:20:18: error: emotion must be an integer from 1 to 5, got 9 [cjm.emotion-range]",
        "buy.md:3:14: error: unknown journey 'buz'; did you mean 'bux'? [cjm.unknown-reference]",
    ]


def test_references_to_an_invalid_record_are_not_reported_as_unknown(tmp_path: Path) -> None:
    files = valid_files()
    files["jane-doe.md"] = PERSONA.replace("name: Jane Doe", "name: Jane Doe\nrole: [a]")
    assert messages(tmp_path, files) == [
        "jane-doe.md:4:7: error: 'role' must be text, got a list [cjm.type]"
    ]


def test_messages_are_one_line_without_control_characters(tmp_path: Path) -> None:
    """Quoted author text (here a key) cannot break a message into forged log lines."""
    found = messages(
        tmp_path, {"x.md": '---\ntype: persona\nname: X\n"a\\n::error::b\\e": 1\n---\n'}
    )
    assert found == ["x.md:4:1: error: unknown key 'a ::error::b\ufffd' [cjm.unknown-key]"]


def test_parsing_leaves_no_reference_cycles(tmp_path: Path) -> None:
    """The cycle collector is paused while a folder loads: garbage must go by refcount."""
    folder = make_folder(tmp_path, valid_files())
    sources = read_folder(folder, None, claimed_suffixes())
    gc.collect()
    gc.disable()
    try:
        parsed = [parse_file(source) for source in sources]
        assert all(p.record is not None for p in parsed)
        assert gc.collect() == 0
    finally:
        gc.enable()


# ---------------------------------------------------------------------------
# Reading again during serve: by stat, never stale


def _later(monkeypatch: pytest.MonkeyPatch, seconds: int) -> None:
    """Every file is then this much older than it really is, as if written a while ago."""
    real = time.time_ns  # the clock load_files reads
    monkeypatch.setattr(time, "time_ns", lambda: real() + seconds * 10**9)


def test_a_recently_changed_file_is_read_again_even_with_the_same_stat(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"a.md": "---\ntype: persona\nname: Ann\n---\n"})
    snapshots: dict[str, Any] = {}
    assert read_folder(folder, snapshots, claimed_suffixes())[0].data.endswith(b"Ann\n---\n")
    path = folder / "a.md"
    status = path.stat()
    path.write_text("---\ntype: persona\nname: Bob\n---\n", encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # same size, same mtime
    assert read_folder(folder, snapshots, claimed_suffixes())[0].data.endswith(b"Bob\n---\n")


def test_a_settled_file_is_not_read_again_until_its_stat_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_folder(tmp_path, {"a.md": PERSONA, "b.md": TOUCHPOINT})
    _later(monkeypatch, 60)
    snapshots: dict[str, Any] = {}
    first = read_folder(folder, snapshots, claimed_suffixes())
    reads: list[str] = []
    real_read = load_files._read_capped

    def counting_read(path: str) -> bytes | None:
        reads.append(path)
        return real_read(path)

    monkeypatch.setattr(load_files, "_read_capped", counting_read)
    again = read_folder(folder, snapshots, claimed_suffixes())
    assert again[0] is first[0] and again[1] is first[1] and reads == []

    (folder / "b.md").write_text(TOUCHPOINT.replace("Checkout", "Basket"), encoding="utf-8")
    (folder / "c.md").write_text(PERSONA, encoding="utf-8")
    third = read_folder(folder, snapshots, claimed_suffixes())
    assert [s.relative_path for s in third] == ["a.md", "b.md", "c.md"]
    assert b"Basket page" in third[1].data and third[0] is first[0]
    assert [Path(p).name for p in reads] == ["b.md", "c.md"]

    (folder / "a.md").unlink()
    (folder / "c.md").rename(folder / "d.md")
    fourth = read_folder(folder, snapshots, claimed_suffixes())
    assert [s.relative_path for s in fourth] == ["b.md", "d.md"]
    assert sorted(Path(p).name for p in snapshots) == ["b.md", "d.md"]


def test_loads_through_a_cache_check_unchanged_journeys_against_what_changed(
    tmp_path: Path,
) -> None:
    """An unchanged journey's checks see a persona gone, or a counterpart changed."""
    now = JOURNEY.replace("type: journey", "type: journey\ncompares_to: later")
    other = JOURNEY.replace("title: Jane buys", "title: Jane buys, later").replace(
        "type: journey", "type: journey\nstate: future"
    )
    folder = make_folder(tmp_path, {**valid_files(), "buy.md": now, "later.md": other})
    cache = ParseCache()
    assert load_folder(folder, cache).diagnostics == []

    (folder / "later.md").write_text(other.replace("state: future", "state: current"))
    found = [str(d) for d in load_folder(folder, cache).diagnostics]
    assert len(found) == 1 and "are both in state 'current'" in found[0]
    assert found[0].startswith(f"{folder.as_posix()}/buy.md:")  # buy.md itself is unchanged

    (folder / "jane-doe.md").unlink()
    found = [str(d) for d in load_folder(folder, cache).diagnostics]
    assert sum("unknown persona 'jane-doe'" in line for line in found) == 2

    (folder / "jane-doe.md").write_text(PERSONA)
    (folder / "later.md").write_text(other)
    result = load_folder(folder, cache)
    assert result.diagnostics == [] and result.registry is not None
    assert [ref.step.name for ref in result.registry.touchpoint_uses("checkout-page")] == [
        "Pays",
        "Pays",
    ]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            'type: persona\nid: x\nname: "Jane\nrole: b\nc: d\n',
            "x.md:4:7: error: this quoted text is never closed (YAML reached the end "
            "of the front matter on line 7) [cjm.yaml-syntax]",
        ),
        (
            "type: persona\nname: 'Jane\n",
            "x.md:3:7: error: this quoted text is never closed (YAML reached the end "
            "of the front matter on line 4) [cjm.yaml-syntax]",
        ),
        (
            "type: persona\nname: {a: b\n",
            "x.md:3:7: error: this '{' mapping is never closed with '}' (YAML reached the end "
            "of the front matter on line 4) [cjm.yaml-syntax]",
        ),
        (
            "type: persona\nname: [a, b\nc: d\n",
            "x.md:3:7: error: this '[' list is not closed where YAML expected ',' or ']' "
            "(line 4, column 2); an item holding a comma, ':' or a bracket needs quotes "
            "[cjm.yaml-syntax]",
        ),
        (
            "type: persona\nname: X\n- a\n",
            "x.md:2:1: error: this mapping expects 'key: value' lines, but line 4, column 1 "
            "is not one: check its indentation, or quote text holding ': ' or a quote mark "
            "[cjm.yaml-syntax]",
        ),
        (
            "type: persona\ngoals:\n  - b\n  c: d\n",
            "x.md:4:3: error: this list expects '- item' lines, but line 5, column 3 is not "
            "one: check its indentation [cjm.yaml-syntax]",
        ),
        (
            'type: persona\nname: "a\\q"\n',
            "x.md:3:7: error: YAML does not parse this quoted text: found unknown escape "
            "character (line 3, column 9) [cjm.yaml-syntax]",
        ),
    ],
)
def test_yaml_error_points_where_the_construct_started(
    tmp_path: Path, front: str, expected: str
) -> None:
    assert messages(tmp_path, {"x.md": f"---\n{front}---\n"}) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "---\ntype: journey\nreviewed: 2026-01-05\n---\n",
        "---\ntype: journey\nreviewed:    '2026-01-05'   # checked with the team\n---\n",
        "---\r\ntype: journey\r\nreviewed: 2026-01-05\r\n---\r\n",
        "\ufeff---\ntype: journey\ntitle: >\n  Folded\nreviewed: 2026-01-05\n---\n",
    ],
)
def test_a_top_level_position_found_in_the_text_is_the_yamls(text: str) -> None:
    """A warning about one top-level field of many files (``reviewed`` of every stale map)
    finds its line in the text, without composing the file again: the same place."""
    source = SourceText("j.md", "j.md", text.encode("utf-8"))
    fast = Locator.deferred(source)._top_level_value(("reviewed",))
    full = Locator.deferred(source)
    full._read()
    assert fast is not None
    assert fast == full.values[("reviewed",)]


def test_a_key_written_otherwise_is_left_to_the_yaml() -> None:
    source = SourceText("j.md", "j.md", b"---\n{type: journey, reviewed: 2026-01-05}\n---\n")
    assert Locator.deferred(source)._top_level_value(("reviewed",)) is None
