"""A new input is one class and one ``register_source``: nothing else changes.

The glossary below (``*.txt``, one ``term: journey-id`` a line) is defined
here and nowhere else, yet the folder loader lists and parses it, the parse
cache keeps it, the cross-file checks report its unknown journeys at
FILE:LINE with "did you mean", the registry holds its entries and ``cjm diff``
reads it from git revisions and reports its changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from git_repos import GitRepo

from cjm_plugin import diagnostics as diag
from cjm_plugin.cli import main
from cjm_plugin.diagnostics import Diagnostic
from cjm_plugin.git_revisions import revision_sources
from cjm_plugin.load import (
    Folder,
    Locator,
    ParseCache,
    RegistryParts,
    SourceText,
    load_folder,
    register_source,
    unregister_source,
)
from cjm_plugin.load.checks import unknown_references
from cjm_plugin.load.references import IdField, references_of
from cjm_plugin.load.yaml_values import Loc
from cjm_plugin.registry import Registry


@dataclass(frozen=True)
class ParsedGlossary:
    source: SourceText
    diagnostics: tuple[Diagnostic, ...]
    entries: tuple[tuple[int, str, str], ...]
    """(line, term, journey id) of each entry."""


class Glossary:
    """``*.txt``: each line a term and the journey that explains it."""

    name = "glossary"
    suffixes = (".txt",)
    id_fields = (IdField("glossary", ("journey",), "journey"),)

    def parse(self, text: SourceText) -> ParsedGlossary:
        entries, problems = [], []
        for number, line in enumerate(text.data.decode("utf-8", "replace").splitlines(), 1):
            term, colon, journey = (part.strip() for part in line.partition(":"))
            if colon and term and journey:
                entries.append((number, term, journey))
            elif line.strip():
                message = f"expected 'term: journey-id', got {line[:40]!r}"
                problems.append(diag.error(text.path, number, 1, "csv-syntax", message))
        return ParsedGlossary(text, tuple(problems), tuple(entries))

    def declare(self, parsed: Sequence[ParsedGlossary], folder: Folder) -> Iterator[Diagnostic]:
        folder.know("term", (term for item in parsed for _, term, _ in item.entries))
        return iter(())

    def check(self, parsed: Sequence[ParsedGlossary], folder: Folder) -> Iterator[Diagnostic]:
        for item in parsed:
            columns: dict[Loc, tuple[int, int]] = {
                (n, "journey"): (n, len(term) + 3) for n, term, _ in item.entries
            }
            locator = Locator(item.source.path, columns)
            found = [
                (kind, ref, (n, *loc))
                for n, _, journey in item.entries
                for kind, ref, loc in references_of("glossary", {"journey": journey})
            ]
            yield from unknown_references(locator, found, folder.known)

    def contribute(
        self, parsed: Sequence[ParsedGlossary], folder: Folder, parts: RegistryParts
    ) -> None:
        for item in parsed:
            parts.add_input(self.name, item.source.relative_path, (e[1:] for e in item.entries))

    def registry_warnings(
        self, parsed: Sequence[ParsedGlossary], folder: Folder, registry: Registry
    ) -> Iterator[Diagnostic]:
        return iter(())


MAP = {
    "personas/ann.md": "---\ntype: persona\nid: ann\nname: Ann\n---\n",
    "signup.md": (
        "---\ntype: journey\nid: signup\ntitle: Signs up\npersonas: [ann]\nstages:\n"
        "  - name: Join\n    steps:\n      - {name: Pays, emotion: 3}\n---\n"
    ),
    "terms.txt": "checkout: signup\nreceipt: signup\n",
}


@pytest.fixture
def glossary() -> Iterator[Glossary]:
    source = Glossary()
    register_source(source)
    yield source
    unregister_source(source.name)


def write(folder: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


def test_a_registered_input_is_listed_parsed_and_given_to_the_registry(
    glossary: Glossary, tmp_path: Path
) -> None:
    result = load_folder(write(tmp_path, MAP))
    assert result.diagnostics == [] and result.registry is not None
    (parsed,) = result.parsed["glossary"]
    assert isinstance(parsed, ParsedGlossary)
    assert parsed.entries == ((1, "checkout", "signup"), (2, "receipt", "signup"))
    assert result.registry.inputs == {
        "glossary": {"terms.txt": (("checkout", "signup"), ("receipt", "signup"))}
    }
    assert len(result.files) == 2  # the records are still the *.md files


def test_without_the_source_its_files_are_not_read(tmp_path: Path) -> None:
    result = load_folder(write(tmp_path, {**MAP, "terms.txt": "not: a-journey\n"}))
    assert result.diagnostics == [] and "glossary" not in result.parsed


def test_a_registered_input_is_cached_like_a_journey_file(
    glossary: Glossary, tmp_path: Path
) -> None:
    folder = write(tmp_path, MAP)
    cache = ParseCache()
    load_folder(folder, cache)
    assert (cache.hits, cache.misses, len(cache)) == (0, 3, 3)
    load_folder(folder, ParseCache())
    load_folder(folder, cache)
    assert (cache.hits, cache.misses) == (3, 3)
    (folder / "terms.txt").write_text("checkout: signup\n", encoding="utf-8")
    result = load_folder(folder, cache)
    assert (cache.hits, cache.misses) == (5, 4)
    assert result.parsed["glossary"][0].entries == ((1, "checkout", "signup"),)


def test_a_registered_input_is_cross_checked_at_file_and_line(
    glossary: Glossary, tmp_path: Path
) -> None:
    folder = write(tmp_path, {**MAP, "terms.txt": "checkout: signup\nreceipt: sign-up\nbad\n"})
    result = load_folder(folder)
    assert result.registry is None
    prefix = f"{result.parsed['glossary'][0].source.path.removesuffix('terms.txt')}"
    assert [str(d).removeprefix(prefix) for d in result.diagnostics] == [
        "terms.txt:2:10: error: unknown journey 'sign-up'; did you mean 'signup'? "
        "[cjm.unknown-reference]",
        "terms.txt:3:1: error: expected 'term: journey-id', got 'bad' [cjm.csv-syntax]",
    ]


def cjm(*arguments: str) -> Any:
    return CliRunner().invoke(main, ["diff", *arguments])


def test_a_registered_input_is_read_from_git_revisions_and_diffed(
    glossary: Glossary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "repo")
    for relative, text in MAP.items():
        repo.write(f"journeys/{relative}", text)
    repo.commit("maps")
    repo.write("journeys/terms.txt", "checkout: signup\nrefund: signup\n")
    repo.commit("a term renamed")
    monkeypatch.chdir(repo.root)

    sources = revision_sources(repo.root, "HEAD", "journeys")
    assert sources is not None and "terms.txt" in [s.relative_path for s in sources]
    document = json.loads(cjm("HEAD~1", "HEAD", "--format", "json").stdout)
    assert document["summary"] == "1 glossary file changed"
    assert [c["kind"] for c in document["records"][0]["changes"]] == [
        "rows-added",
        "rows-removed",
    ]

    repo.write("journeys/terms.txt", "checkout: nowhere\n")
    repo.commit("a broken term")
    broken = cjm("HEAD~1", "HEAD")
    assert broken.exit_code == 3
    assert "HEAD:journeys/terms.txt:1:11: error: unknown journey 'nowhere'" in broken.stderr
