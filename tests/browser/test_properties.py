"""Arbitrary text in every field: each diagram still draws, every text shows as written,
and none of it becomes markup, a link or a script.

Hypothesis writes the names, thoughts and pain points; each example is a whole
site of many records, so the browser starts once and a few sites cover
hundreds of texts. What a page must show is derived from what the loader
read (``cjm_plugin.escape.visible_text``), and whether text became markup is
judged by comparing each page's element structure with that of the same site
built with plain placeholder words.
"""

from __future__ import annotations

import re
import shutil
import urllib.parse
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sites import build_site, journey, persona, touchpoint, write_project

from cjm_plugin.escape import visible_text
from cjm_plugin.figures import same_text_key
from cjm_plugin.load import load_folder
from cjm_plugin.registry import Registry

from .conftest import _serve
from .page_checks import (
    DIAGRAM_TIMEOUT_MS,
    DIAGRAMS_JS,
    SVG_TEXTS_JS,
    assert_inert,
    expected_journey_texts,
    journey_texts,
)

pytestmark = pytest.mark.browser

#: Records in each generated site: one stage, step, persona and touchpoint each.
RECORDS = 24
#: Records of one journey: a site has RECORDS // RECORDS_PER_JOURNEY journeys.
RECORDS_PER_JOURNEY = 6

#: Pieces of Markdown, HTML, Mermaid and YAML syntax, so that random text hits them often.
SYNTAX = (
    "<",
    ">",
    "&",
    "&amp;",
    "&#58;",
    "&lt;",
    "#",
    "#58;",
    ";",
    ":",
    ",",
    "%",
    "%%",
    "%%{",
    "}%%",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "|",
    "*",
    "**",
    "_",
    "`",
    "```",
    "~~~",
    "\\",
    "!",
    "?",
    "???",
    "!!! note",
    "- ",
    "+ ",
    "1. ",
    "2)",
    "> ",
    "=",
    "---",
    "\n",
    "\r\n",
    "\t",
    " ",
    "  ",
    '"',
    "'",
    "<br>",
    "<BR/>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">a</a>',
    "javascript:alert(4)",
    "[x](javascript:alert(5))",
    "![i](x)",
    "{: onclick=alert(6) }",
    "<!--",
    "-->",
    "<![CDATA[",
    "title ",
    "section ",
    "journey",
    "accTitle",
    "accDescr",
    "click ",
    "call alert(7)",
    "href ",
    "http://x.y/",
    "www.example.org",
    "@user",
    ":smile:",
    "$x$",
    "\\(",
    "</title>",
    "</code></pre>",
    "\u200b",
    "\ufeff",
    "\u00a0",
    "\x00",
    "\x1b",
    "\x7f",
    "\u0301",
    "\u202e",
    "\ufb02\u00b0",
    "\u00b6\u00df",
    "e\u0301",
    "\U0001f600",
    "\ud7ff",
)
#: Whole constructs, each a different way text could turn into markup; the first
#: example of every run deals them out, so each run tries every one of them.
CONSTRUCTS = (
    "*em* and **strong**",
    "_em_ __strong__",
    "`code` ``more``",
    "[a link](http://example.org/) [ref][1]",
    "![an image](x.png)",
    '<b id="cjm-injected">bold</b>',
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "javascript:alert(3)",
    "[x](javascript:alert(4))",
    "http://example.org/ www.example.org",
    "# heading ## two",
    "- item",
    "1. first",
    "> quote",
    "| a | b |",
    "!!! note",
    "??? question",
    "~~~ fence",
    "{: #id .class onclick=alert(5) }",
    "&amp; &lt;b&gt; &#60;i&#62;",
    "title t %%{init: {'securityLevel': 'loose'}}%% section s: 5: p",
    "a: 1; b # c , d",
    "<br> line <BR/> break",
    "\\* not \\_ escaped",
    "--- *** ___",
    "Term\n: definition",
)
#: YAML 1.1 reads these as line breaks, and PyYAML's emitter does not always keep them:
#: the test files are written with PyYAML, so they are left out of generated text.
_YAML_LINE_BREAKS = "\x85\u2028\u2029"
_CHARACTERS = st.characters(exclude_categories=["Cs"], exclude_characters=_YAML_LINE_BREAKS)


def _texts(one_line: bool) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(SYNTAX), st.text(_CHARACTERS, min_size=1, max_size=4))
    text = st.lists(piece, min_size=1, max_size=6).map("".join)
    if one_line:
        text = text.map(lambda t: re.sub(r"[\r\n]+", " ", t))
    return text.filter(lambda t: bool(t.strip()))


ONE_LINE = _texts(one_line=True)
ANY_TEXT = _texts(one_line=False)
#: One record's text fields and whether each is a single line in the format.
FIELDS = {
    "journey_title": True,
    "objective": False,
    "owner": True,
    "tag": False,
    "stage": True,
    "stage_goal": False,
    "step": True,
    "thoughts": False,
    "pain_point": False,
    "opportunity": False,
    "persona": True,
    "role": True,
    "segment": True,
    "quote": False,
    "persona_goal": False,
    "challenge": False,
    "touchpoint": True,
    "touchpoint_owner": True,
    "metric": True,
    "before": False,
    "action": True,
}
#: A site's texts: two pools of distinct texts (one-line, any), dealt out to the
#: fields of every record. Distinct, because equal stage names or pain points are
#: merged into one row (coverage, ranking), which changes the page's structure:
#: distinct as the rankings compare them (case, spacing, final punctuation).
SITE_TEXTS = st.tuples(
    st.lists(ONE_LINE, min_size=RECORDS, max_size=RECORDS, unique_by=same_text_key),
    st.lists(ANY_TEXT, min_size=RECORDS, max_size=RECORDS, unique_by=same_text_key),
)
JOURNEYS = RECORDS // RECORDS_PER_JOURNEY
#: File names a contributor may give a journey: anything the loader accepts (it
#: refuses quotes, backquotes, ``<``, ``>``, backslashes and control characters,
#: ``tests/test_hostile_files.py``), so URL syntax, spaces and any script.
FILE_NAMES = st.lists(
    st.text(
        st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\"'`<>\\/"),
        min_size=1,
        max_size=10,
    ).filter(lambda name: not name.startswith(".") and len(name.encode()) < 200),
    min_size=JOURNEYS,
    max_size=JOURNEYS,
    unique_by=str.casefold,
)
#: Where the edit and view links of the test sites point.
REPO_URL = "https://example.org/maps"


def dealt_records(one_line: Sequence[str], any_text: Sequence[str]) -> list[dict[str, str]]:
    """Each field of record ``n`` gets a text from its pool, each field at its own offset,
    so within a field every record's text differs and every text meets many fields."""
    return [
        {
            field: (one_line if single else any_text)[(n + 5 * k) % RECORDS]
            for k, (field, single) in enumerate(FIELDS.items())
        }
        for n in range(RECORDS)
    ]


def placeholder_records() -> list[dict[str, str]]:
    """The same shape of site, every text a plain word: the structure to compare with."""
    return [{field: f"w{field}{n}".replace("_", "") for field in FIELDS} for n in range(RECORDS)]


def journey_files(
    records: Sequence[dict[str, str]], file_names: Sequence[str] | None = None
) -> dict[str, str]:
    """One journey per RECORDS_PER_JOURNEY records; each record a stage of one step,
    taken by its own persona at its own touchpoint. Journey ``j`` is in the file
    ``journeys/<file_names[j]>.md`` (its id is set, so any name will do)."""
    files: dict[str, str] = {}
    for n, r in enumerate(records):
        files[f"personas/p{n}.md"] = persona(
            f"p{n}",
            r["persona"],
            role=r["role"],
            segment=r["segment"],
            quote=r["quote"],
            goals=[r["persona_goal"]],
            challenges=[r["challenge"]],
        )
        files[f"touchpoints/t{n}.md"] = touchpoint(
            f"t{n}", r["touchpoint"], "web", owner=r["touchpoint_owner"]
        )
    for j in range(len(records) // RECORDS_PER_JOURNEY):
        chunk = range(j * RECORDS_PER_JOURNEY, (j + 1) * RECORDS_PER_JOURNEY)
        first = records[chunk[0]]
        name = file_names[j] if file_names is not None else f"j{j}"
        files[f"journeys/{name}.md"] = journey(
            f"j{j}",
            first["journey_title"],
            [f"p{n}" for n in chunk][:2],
            objective=first["objective"],
            owner=first["owner"],
            tags=[records[n]["tag"] for n in chunk],
            stages=[
                {
                    "name": records[n]["stage"],
                    "id": f"s{n}",
                    "goal": records[n]["stage_goal"],
                    "steps": [
                        {
                            "name": records[n]["step"],
                            "touchpoints": [f"t{n}"],
                            "emotion": 1 + n % 5,
                            "actors": [f"p{n}"],
                            "thoughts": records[n]["thoughts"],
                            "pain_points": [records[n]["pain_point"]],
                            "opportunities": [records[n]["opportunity"]],
                            "moment_of_truth": n % 2 == 0,
                        }
                    ],
                }
                for n in chunk
            ],
            metrics=[{"name": first["metric"], "before": first["before"]}],
            actions=[{"title": first["action"], "owner": first["owner"]}],
        )
    return files


class Site:
    """A built site and the maps it was built from (a plain class: short in reports)."""

    def __init__(self, root: Path, site: Path, registry: Registry) -> None:
        self.root = root
        self.site = site
        self.registry = registry

    def __repr__(self) -> str:
        return f"Site({self.root})"


def build(
    root: Path,
    records: Sequence[dict[str, str]],
    mermaid_js: Path,
    file_names: Sequence[str] | None = None,
) -> Site:
    config_file = write_project(
        root,
        journey_files(records, file_names),
        extra_javascript=["javascripts/mermaid.min.js"],
        record_nav=False,
        theme={
            "name": "material",
            "font": False,
            "features": ["content.action.edit", "content.action.view"],
        },
        repo_url=REPO_URL,
        edit_uri="edit/main/docs/",
    )
    (root / "docs" / "javascripts").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(mermaid_js, root / "docs" / "javascripts" / "mermaid.min.js")
    result = load_folder(root / "journeys")
    assert result.registry is not None, [str(error) for error in result.errors]
    return Site(root, build_site(config_file), result.registry)


# ---------------------------------------------------------------------------
# Reading pages


class _Structure(HTMLParser):
    """Element names and attribute names of a page, in order, and its text.

    The emotion curve's elements are compared as a multiset: its lines come in
    the order of the personas' names, each with its own colour and dashes.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []
        self._curve: list[str] | None = None
        """The elements inside the curve's ``<svg>``, while in it."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":  # a line break in a text is shown as one, by design
            self.text.append("\n")
            return
        element = f"<{tag} {' '.join(sorted(name for name, _ in attrs))}>"
        (self.elements if self._curve is None else self._curve).append(element)
        if tag == "svg" and "cjm-curve" in (dict(attrs).get("class") or ""):
            self._curve = []
        self.urls += [value or "" for name, value in attrs if name in ("href", "src", "action")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            return
        if tag == "svg" and self._curve is not None:
            self.elements += sorted(self._curve)
            self._curve = None
        (self.elements if self._curve is None else self._curve).append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def structure(page: Path) -> _Structure:
    parsed = _Structure()
    parsed.feed(page.read_text(encoding="utf-8"))
    parsed.close()
    return parsed


def fold(text: str) -> str:
    """What a reader compares: the characters as written, any whitespace as one space."""
    return " ".join(text.split())


def shown_on_page(text: str) -> str:
    return fold(visible_text(text))


def page_texts(registry: Registry) -> dict[str, list[str]]:
    """Every text a generated page must show, by the page's URL."""
    shown: dict[str, list[str]] = {}
    for journey_id, j in registry.journeys.items():
        texts = [j.title, j.objective or "", j.owner or "", *j.tags]
        for stage in j.stages:
            texts += [stage.name, stage.goal or ""]
            for step in stage.steps:
                texts += [step.name, step.thoughts or "", *step.pain_points, *step.opportunities]
                texts += [registry.touchpoints[t].name for t in step.touchpoints]
        texts += [m.name for m in j.metrics] + [str(m.before) for m in j.metrics]
        texts += [a.title for a in j.actions]
        texts += [registry.personas[p].name for p in j.personas]
        shown[f"journeys/{journey_id}/"] = texts
    for persona_id, p in registry.personas.items():
        shown[f"personas/{persona_id}/"] = [
            p.name,
            p.role or "",
            p.segment or "",
            p.quote or "",
            *p.goals,
            *p.challenges,
        ]
    shown["touchpoints/"] = [t.name for t in registry.touchpoints.values()] + [
        t.owner or "" for t in registry.touchpoints.values()
    ]
    shown["journeys/"] = [j.title for j in registry.journeys.values()] + [
        pain for j in registry.journeys.values() for _, s in j.all_steps() for pain in s.pain_points
    ]
    return shown


def check_journey_diagrams(visit: Any, registry: Registry, url: str) -> None:
    """The journey diagram on the open page draws the journey's title, stage,
    step and persona names exactly as written (on one line), and no more: a
    text read as a statement, a directive or a comment would add, drop or
    cut a stage or a step."""
    journey_id = url.removeprefix("journeys/").strip("/")
    journey = registry.journeys[journey_id]
    names = {persona_id: p.name for persona_id, p in registry.personas.items()}
    drawn = journey_texts(visit)
    assert len(drawn) == 1, url
    del drawn[0]["legend"]  # Mermaid may wrap a long name there: the dots' titles are whole
    expected = expected_journey_texts(journey, names)
    for part in ("title", "stages"):
        assert drawn[0][part] == expected[part], (url, part)
    assert len(drawn[0]["steps"]) == len(expected["steps"]), url
    for shown, wanted in zip(drawn[0]["steps"], expected["steps"], strict=True):
        assert shown == wanted, url


# ---------------------------------------------------------------------------
# The property


@pytest.fixture(scope="module")
def placeholder_site(tmp_path_factory: pytest.TempPathFactory, mermaid_js: Path) -> Site:
    return build(tmp_path_factory.mktemp("placeholders"), placeholder_records(), mermaid_js)


@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    # Each example is a whole site in a browser: shrinking would take minutes, and
    # the assertion already names the page and the text.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
    ],
)
@example(
    texts=(
        [c.replace("\n", " ") for c in CONSTRUCTS[:RECORDS]],
        [c.replace(" ", "\n", 1) for c in CONSTRUCTS[-RECORDS:]],
    ),
    file_names=["a b #1?x=%20", "{: onclick=alert(1) }", "日本 & co;", "up..%2f..%2fetc"],
)
@given(texts=SITE_TEXTS, file_names=FILE_NAMES)
def test_arbitrary_text_shows_as_written_and_never_becomes_markup(
    texts: tuple[list[str], list[str]],
    file_names: list[str],
    placeholder_site: Site,
    tmp_path_factory: pytest.TempPathFactory,
    mermaid_js: Path,
    visit_in: Any,
) -> None:
    records = dealt_records(*texts)
    built = build(tmp_path_factory.mktemp("arbitrary"), records, mermaid_js, file_names)
    must_show = page_texts(built.registry)

    for url, page_texts_shown in must_show.items():
        page = structure(built.site / url / "index.html")
        expected = structure(placeholder_site.site / url / "index.html")
        assert page.elements == expected.elements, f"{url}: text or a file name became markup"
        assert _same_targets(_site_urls(page.urls), _site_urls(expected.urls)), url
        if url.startswith("journeys/j"):  # its edit and view links name its file, encoded
            name = file_names[int(url.split("/")[1][1:])]
            repository = [u for u in page.urls if "/journeys/journeys/" in u]
            assert len(repository) == 2, (url, repository)
            for link in repository:
                assert urllib.parse.unquote(link).endswith(f"/journeys/journeys/{name}.md")
                assert re.fullmatch(r"[A-Za-z0-9._~:/%!$&'()*+,;=@-]+", link), link
        shown = fold("".join(page.text))
        for text in page_texts_shown:
            assert shown_on_page(text) in shown, (url, text)

    server, base_url = _serve(built.site)
    try:
        visit = visit_in()
        urls = [f"journeys/{j}/" for j in built.registry.journeys]
        for url in [*urls, "journeys/", "touchpoints/"]:
            _draw(visit, f"{base_url}/{url}", built.site / url / "index.html")
            if url in urls:
                check_journey_diagrams(visit, built.registry, url)
            assert_inert(visit, url)
        assert visit.dialogs == []
        assert visit.page_errors == []
        assert visit.outside_requests == []
    finally:
        server.shutdown()
        server.server_close()


def _site_urls(urls: list[str]) -> list[str]:
    """Links inside the site: edit and view links name a journey's file, and differ."""
    return [url for url in urls if not url.startswith(REPO_URL)]


def _same_targets(urls: list[str], expected: list[str]) -> bool:
    """The same link targets, but anchors may differ (step anchors come from names)."""

    def targets(found: list[str]) -> list[tuple[str, bool]]:
        # Rows sorted by text (pain points, touchpoints) may come in another order; the
        # pages by owner and by tag are named by the slug of the owner or tag text, and
        # sorted by it in the navigation (so the footer's next link may be another of them).
        return sorted(
            (re.sub(r"(owners|tags)/([^/#]+/)?", r"\1/*/", url.split("#")[0]), "#" in url)
            for url in found
        )

    return targets(urls) == targets(expected)


def _draw(visit: Any, url: str, html_file: Path) -> list[str]:
    """Open a page and wait for every Mermaid diagram; the text of each drawn SVG."""
    expected = len(re.findall(r'<pre class="mermaid"', html_file.read_text(encoding="utf-8")))
    visit.page.goto(url, wait_until="load")
    if expected:
        visit.page.wait_for_function(DIAGRAMS_JS, arg=expected, timeout=DIAGRAM_TIMEOUT_MS)
    body = visit.page.evaluate("() => document.body.textContent")
    assert "Syntax error" not in body, url
    texts: list[str] = visit.page.evaluate(SVG_TEXTS_JS) if expected else []
    assert len(texts) == expected, url
    return texts


# ---------------------------------------------------------------------------
# Mermaid's security level


LOOSENING = (
    '%%{init: {"securityLevel": "loose"}}%%',
    "%%{init: {'securityLevel': 'loose', 'startOnLoad': true}}%%",
    "click Pays call alert(11)",
    'click Pays href "javascript:alert(12)"',
    "---\nconfig:\n  securityLevel: loose\n---",
    "%%{init: {'themeCSS': '.cjm-injected { fill: red }'}}%%",
)

_STRICTNESS_JS = """
() => {
  const svgs = [...document.querySelectorAll(".mermaid")]
    .map((element) => element.shadowRoot && element.shadowRoot.querySelector("svg"))
    .filter(Boolean);
  const inside = svgs.flatMap((svg) => [svg, ...svg.querySelectorAll("*")]);
  return {
    diagrams: svgs.length,
    securityLevel: window.mermaid.mermaidAPI.getConfig().securityLevel,
    links: inside.filter((e) => e.tagName.toLowerCase() === "a").length,
    clickable: inside.filter((e) => e.classList.contains("clickable")).length,
    handlers: inside.filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
    dialogs: window.__cjmDialogs.length,
    injectedCss: svgs.filter((svg) => [...svg.querySelectorAll("style")]
      .some((style) => style.textContent.includes("cjm-injected"))).length,
  };
}
"""


def test_mermaid_stays_strict_whatever_the_journey_says(
    tmp_path: Path, mermaid_js: Path, visit_in: Any
) -> None:
    """A directive or a ``click`` written in journey text is shown, never obeyed."""
    records = placeholder_records()
    for n, text in enumerate(LOOSENING):
        one_line = text.replace("\n", " ")
        records[n].update(step=one_line, stage=one_line, persona=one_line, thoughts=text)
        records[(n % 4) * RECORDS_PER_JOURNEY]["journey_title"] = one_line
    built = build(tmp_path, records, mermaid_js)
    server, base_url = _serve(built.site)
    try:
        visit = visit_in()
        for journey_id in built.registry.journeys:
            url = f"journeys/{journey_id}/"
            _draw(visit, f"{base_url}/{url}", built.site / url / "index.html")
            check_journey_diagrams(visit, built.registry, url)
            strictness = visit.page.evaluate(_STRICTNESS_JS)
            assert strictness == {
                "diagrams": strictness["diagrams"],
                "securityLevel": "strict",
                "links": 0,
                "clickable": 0,
                "handlers": 0,
                "dialogs": 0,
                "injectedCss": 0,
            }, url
            assert strictness["diagrams"] >= 1, url
        assert visit.dialogs == []
        assert visit.page_errors == []
    finally:
        server.shutdown()
        server.server_close()
