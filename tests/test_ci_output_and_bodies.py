"""Issue 11: text output no CI runner reads as a command, and bodies from many hands.

Author text printed for a terminal or a CI log must not hold ``##[`` anywhere
or ``::`` at the start of a line (GitHub Actions workflow commands). Bodies
stay raw by default; ``body_warnings`` points at what can run script, and
``sanitize_body_html`` cleans the HTML for ``bodies: sanitized``.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from click.testing import CliRunner
from git_repos import GitRepo
from golden_pages import GOLDEN, GOLDEN_HISTORY, load
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_setup import EXTENSION_CONFIGS, EXTENSIONS
from material.extensions.emoji import to_svg, twemoji
from mkdocs.config.base import ValidationError
from sites import build_site, journey, persona, realistic_journeys, touchpoint, write_project

from cjm_plugin import diagnostics as diag
from cjm_plugin.bodies import (
    MAX_WARNINGS_PER_BODY,
    SANITIZED_STYLES,
    URL_ATTRIBUTES,
    body_warnings,
    sanitize_body_html,
    url_scheme,
)
from cjm_plugin.cli import main
from cjm_plugin.config import CjmConfig
from cjm_plugin.escape import ZERO_WIDTH_SPACE, terminal_text
from cjm_plugin.pages import render_site

# ---------------------------------------------------------------------------
# 1. Output that a CI runner could take as a command

CI_COMMANDS = ("##[error]x", "##[add-mask]secret", "::error::x")


def assert_no_ci_command(output: str) -> None:
    """No line a GitHub runner (or Azure Pipelines, TeamCity) reads as a command."""
    for line in output.split("\n"):
        assert "##[" not in line, line
        assert not re.search(r"##[A-Za-z]*\[", line), line
        assert not line.lstrip().startswith("::"), line


def readable(output: str) -> str:
    """The output as a reader sees it: the zero-width spaces are invisible."""
    return output.replace(ZERO_WIDTH_SPACE, "")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("##[error]x", "#\u200b#[error]x"),
        ("step ##[add-mask]secret", "step #\u200b#[add-mask]secret"),
        ("::error::x", ":\u200b:error::x"),
        ("  ::error::x", "  :\u200b:error::x"),
        ("a ::error::x", "a ::error::x"),  # not at the start of a line: no command
        ("Slow\n::add-mask::secret", "Slow ::add-mask::secret"),
        ("###[x] ##vso[task.setvariable] ##teamcity[x]", "##\u200b#[x] #\u200b#vso[task."),
        ("## Heading #1 [draft]", "## Heading #1 [draft]"),
        ("\ufeff::error::x", "\ufeff:\u200b:error::x"),
    ],
)
def test_terminal_text_breaks_ci_commands_and_reads_as_written(text: str, shown: str) -> None:
    flat = terminal_text(text)
    assert flat.startswith(shown)
    assert_no_ci_command(flat)
    assert terminal_text(flat) == flat  # a whole line can go through again


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="#[]:: \t\nae\u200b\ufeff\x1b", max_size=40))
def test_terminal_text_never_holds_a_ci_command(text: str) -> None:
    flat = terminal_text(text)
    assert "\n" not in flat
    assert_no_ci_command(flat)
    assert terminal_text(flat) == flat
    assert readable(flat) == readable(" ".join(text.replace("\x1b", "\ufffd").split("\n")))


def test_a_path_alone_cannot_start_a_diagnostic_line_with_a_command() -> None:
    line = str(diag.error(":", 1, 1, "type", "message"))
    assert_no_ci_command(line)
    assert readable(line) == "::1:1: error: message [cjm.type]"


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def ci_command_journey(stage_name: str, **step: Any) -> str:
    steps = [{"name": CI_COMMANDS[0], "touchpoints": ["t"], "emotion": 3, **step}]
    return journey("j", "Journey", ["p"], [{"name": stage_name, "steps": steps}])


def test_validate_text_output_holds_no_ci_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = {"p.md": persona("p", "P"), "t.md": touchpoint("t", "T", "web")}
    broken = write_folder(
        tmp_path / "broken",
        {
            **records,
            "j.md": ci_command_journey(
                "Stage",
                touchpoints=["t", CI_COMMANDS[0]],
                emotion=CI_COMMANDS[1],
                pain_points=list(CI_COMMANDS),
                actors=[CI_COMMANDS[2]],
            ),
            "::error::x.md": "---\ntype: persona\nname: '##[error]x'\n---\n",
            "##[add-mask]secret.md": "---\ntype: persona\nid: '::error::x'\nname: P2\n---\n",
        },
    )
    # checked across files once each file is valid: a stage name that gives no id
    unusable = write_folder(
        tmp_path / "unusable", {**records, "j.md": ci_command_journey("##[::]")}
    )

    monkeypatch.chdir(broken)  # paths start the lines: '::error::x.md:1:1: ...'
    result = CliRunner().invoke(main, ["validate", "."])
    assert result.exit_code == 1
    assert_no_ci_command(result.stdout)
    shown = readable(result.stdout)
    assert "::error::x.md:1:1: error: the id defaults to the file name" in shown
    assert "##[add-mask]secret.md:3:5: error: 'id' must be a lower-case slug" in shown
    assert "got '##[error]x' [cjm.id-format]" in shown
    assert "emotion must be an integer from 1 to 5, got '##[add-mask]secret'" in shown
    assert "got '::error::x' [cjm.id-format]" in shown

    result = CliRunner().invoke(main, ["validate", str(unusable)])
    assert result.exit_code == 1
    assert_no_ci_command(result.stdout)
    assert "error: stage name '##[::]' gives no usable id" in readable(result.stdout)


def test_diff_text_output_holds_no_ci_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "repo")
    maps = realistic_journeys()
    for relative, text in maps.items():
        repo.write(f"journeys/{relative}", text)
    repo.commit("maps")
    savings = maps["journeys/savings.md"]
    for old, new in (
        ("Calls about rates", CI_COMMANDS[0]),
        ("Reads the rates page", CI_COMMANDS[2]),
        ("Rates hidden in a PDF", CI_COMMANDS[1]),
        ("Ruth moves her savings", "::error::title"),
    ):
        savings = savings.replace(old, f"'{new}'")  # quoted: YAML reads # as a comment
    repo.write("journeys/journeys/savings.md", savings)
    monkeypatch.chdir(repo.root)

    result = CliRunner().invoke(main, ["diff", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert_no_ci_command(result.stdout)
    shown = readable(result.stdout)
    assert "step renamed in Decide: Calls about rates → ##[error]x" in shown
    assert "step renamed in Decide: Reads the rates page → ::error::x" in shown
    assert "pain point added: ##[add-mask]secret" in shown
    assert "title: Ruth moves her savings → ::error::title" in shown


def test_diff_of_two_folders_named_like_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("::error::old", "##[error]new"):
        for relative, text in realistic_journeys().items():
            (tmp_path / name / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / relative).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", "::error::old", "##[error]new", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert_no_ci_command(result.stdout)
    assert readable(result.stdout) == "::error::old → ##[error]new: no changes\n"


# ---------------------------------------------------------------------------
# 2a. Warnings for what can run script in a body

FIRST_LINE = 8
TAG, HANDLER = "body has the tag <{}>", "event handler attribute '{}'"
JAVASCRIPT, DATA = "body has a javascript: URL", "body has a data: URL"

#: (body, [(line, col, what the message says)]), the body starting on line 8.
SCRIPT_IN_BODIES: list[tuple[str, list[tuple[int, int, str]]]] = [
    ("Notes.\n<script>alert(1)</script>\n", [(9, 1, TAG.format("script"))]),
    ("x <ScRiPt\nsrc=//evil.example/x.js></ScRiPt>", [(8, 3, TAG.format("script"))]),
    ("<img src=x onerror=alert(1)>", [(8, 12, HANDLER.format("onerror"))]),
    ("<img/ONERROR=alert(1)>", [(8, 6, HANDLER.format("onerror"))]),
    ('<img src="x"onerror="alert(1)">', [(8, 13, HANDLER.format("onerror"))]),
    ("<svg\nonload\n=alert(1)>", [(9, 1, HANDLER.format("onload"))]),
    ("<img src=x'\nonerror=alert(1)>", [(9, 1, HANDLER.format("onerror"))]),
    ("<a title='>' onclick=go()>x</a>", [(8, 14, HANDLER.format("onclick"))]),
    ('<a href="java&#115;cript:alert(1)">x</a>', [(8, 10, JAVASCRIPT)]),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', [(8, 10, JAVASCRIPT)]),
    ('<a href="jav&Tab;ascript&colon;alert(1)">x</a>', [(8, 10, JAVASCRIPT)]),
    ("<a href='&#x0006A;ava\nscript:alert(1)'>x</a>", [(8, 10, JAVASCRIPT)]),
    ("<a href=javascript:alert(1)>x</a>", [(8, 9, JAVASCRIPT)]),
    ("[click](java&#115;cript:alert(1))", [(8, 9, JAVASCRIPT)]),
    ("See [x](<java\nscript:alert(1)>)", [(8, 10, JAVASCRIPT)]),
    ("See [x](\n  javascript:alert(1))", [(9, 3, JAVASCRIPT)]),
    ("![chart](data:image/svg+xml;base64,PHN2Zz4=)", [(8, 10, DATA)]),
    ("Text.\n\n[ref]: javascript:alert(1)", [(10, 8, JAVASCRIPT)]),
    ('## Pricing {onclick="alert(1)"}', [(8, 13, HANDLER.format("onclick"))]),
    ("[x](#){ href='javascript:alert(1)' }", [(8, 15, JAVASCRIPT)]),
    ('<iframe src="https://example.org/embed"></iframe>', [(8, 1, TAG.format("iframe"))]),
    (
        "<object data=x></object><EMBED src=y>",
        [(8, 1, TAG.format("object")), (8, 25, TAG.format("embed"))],
    ),
    ("<base href=https://evil.example/>", [(8, 1, TAG.format("base"))]),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', [(8, 1, "<meta>")]),
    # python-markdown passes <script> on as a tag of its own inside this "attribute"
    ('<a title="<script>">', [(8, 11, TAG.format("script"))]),
    (
        '<svg><animate attributeName=href values="#;javascript:alert(1)"/></svg>',
        [(8, 42, JAVASCRIPT)],
    ),
    # fenced code is reported too: whether it is code depends on the rest of the page
    ("```html\n<script>alert(1)</script>\n```", [(9, 1, TAG.format("script"))]),
    (
        '<img src="data:image/png;base64,AA" onload="x()">',
        [(8, 11, DATA), (8, 37, HANDLER.format("onload"))],
    ),
]

HARMLESS_BODIES = [
    "The script runs nightly, and on-boarding = good.",
    "JavaScript: the good parts. data: 5 users said so.",
    "&lt;script&gt; shows as text, and so does < script>.",
    "<scripts> and <description> are other tags; <b onclick>has no handler</b>.",
    "[docs](https://example.org/javascript:x) and [notes](./data:notes.md)",
    '<a href="https://example.org" title="javascript: a language">link</a>',
    '<img src="data-flow.png" alt="data: flows"> <a href="#section">up</a>',
    "## Heading {#anchor .note data-on=x}\n\n{: #id } and {online}",
    "| Step | Pain |\n| --- | --- |\n| one = 1 | on time |",
    "",
]


@pytest.mark.parametrize(("body", "expected"), SCRIPT_IN_BODIES)
def test_body_warnings_point_at_each_place_that_can_run_script(
    body: str, expected: list[tuple[int, int, str]]
) -> None:
    warnings = body_warnings("journeys/j.md", body, FIRST_LINE)
    assert [(w.line, w.col) for w in warnings] == [(line, col) for line, col, _ in expected]
    for warning, (_, _, said) in zip(warnings, expected, strict=True):
        assert said in warning.message
        assert (warning.path, warning.severity, warning.code) == (
            "journeys/j.md",
            "warning",
            "cjm.body-script",
        )


@pytest.mark.parametrize("body", HARMLESS_BODIES)
def test_body_warnings_leave_prose_alone(body: str) -> None:
    assert body_warnings("journeys/j.md", body, FIRST_LINE) == []


def test_body_warning_line_names_file_line_column_and_code() -> None:
    (warning,) = body_warnings("journeys/j.md", "Notes.\n\nSee <script src=x.js></script>", 12)
    assert str(warning) == (
        "journeys/j.md:14:5: warning: body has the tag <script>, which runs in the browser of "
        "everyone who opens the page; remove it, or set the cjm plugin option "
        "'bodies: sanitized' to publish bodies without it [cjm.body-script]"
    )


def test_a_body_full_of_script_gets_a_bounded_number_of_warnings() -> None:
    warnings = body_warnings("j.md", "<script>\n" * 500, 1)
    assert len(warnings) == MAX_WARNINGS_PER_BODY + 1
    assert [w.line for w in warnings] == list(range(1, MAX_WARNINGS_PER_BODY + 2))
    assert "body has 480 more places like those above" in warnings[-1].message


def test_hostile_bodies_are_checked_fast_and_without_error() -> None:
    mebibyte = 1 << 20
    bodies = [
        "<a " * (mebibyte // 3),
        "<a>" * (mebibyte // 3),
        '<a x=">' * (mebibyte // 7),
        '<a b="' + "c='x " * (mebibyte // 5),
        "](" * (mebibyte // 2),
        "{" * mebibyte,
        '<a href="&#' + "9" * mebibyte + ';">',  # html.unescape alone refuses 4,301 digits
    ]
    for body in bodies:
        started = time.perf_counter()
        assert body_warnings("j.md", body, 1) == []
        assert time.perf_counter() - started < 5
    padded = "[x](&#" + "0" * mebibyte + "106;avascript:alert(1))"
    assert len(body_warnings("j.md", padded, 1)) == 1


def obfuscated_scheme(draw: st.DrawFn) -> str:
    """``javascript:`` as a browser still reads it: any case, references, tabs."""
    pieces = []
    for char in "javascript:":
        how = draw(st.sampled_from(["plain", "upper", "decimal", "hex", "tab", "newline"]))
        if how == "upper":
            pieces.append(char.upper())
        elif how == "decimal":
            pieces.append(f"&#{'0' * draw(st.integers(0, 8))}{ord(char)};")
        elif how == "hex":
            pieces.append(f"&#x{'0' * draw(st.integers(0, 8))}{ord(char):X};")
        elif how == "tab":
            pieces.append(char + draw(st.sampled_from(["\t", "&Tab;", "&#9;"])))
        elif how == "newline":
            pieces.append(char + draw(st.sampled_from(["\n", "&NewLine;", "&#x0A;"])))
        else:
            pieces.append(char)
    return "".join(pieces)


def mixed_case(draw: st.DrawFn, word: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c for c in word)


@st.composite
def body_with_script(draw: st.DrawFn) -> tuple[str, int]:
    """Prose, then something that runs script, then prose; and where it starts."""
    kind = draw(st.sampled_from(["tag", "handler", "href", "markdown-link", "attr-list"]))
    separator = draw(st.sampled_from([" ", "\n", "\t", "/", " \n "]))
    if kind == "tag":
        name = mixed_case(draw, draw(st.sampled_from(["script", "iframe", "object", "embed"])))
        snippet, hot = f"<{name}{separator}src=x>", 0
    elif kind == "handler":
        handler = mixed_case(draw, draw(st.sampled_from(["onerror", "onload", "onmouseover"])))
        snippet, hot = f"<img{separator}{handler}=alert(1) src=x>", len(f"<img{separator}")
    elif kind == "href":
        quote = draw(st.sampled_from(['"', "'"]))
        snippet = f"<a{separator}href={quote}{obfuscated_scheme(draw)}alert(1){quote}>x</a>"
        hot = len(f"<a{separator}href={quote}")
    elif kind == "markdown-link":
        bang = draw(st.sampled_from(["", "!"]))
        snippet, hot = f"{bang}[x]({obfuscated_scheme(draw)}alert(1))", len(bang) + 4
    else:
        snippet, hot = '## Title {onclick="alert(1)"}', 10
    prose = st.text(alphabet="abc xyz.,;:-\n", max_size=30)
    before = draw(prose)
    return before + snippet + draw(prose), len(before) + hot


@settings(max_examples=300, deadline=None)
@given(body_with_script())
def test_body_warnings_find_script_however_it_is_written(case: tuple[str, int]) -> None:
    body, offset = case
    line = body.count("\n", 0, offset)
    col = offset - (body.rfind("\n", 0, offset) + 1) + 1
    warnings = body_warnings("j.md", body, 1)
    assert (line + 1, col) in [(w.line, w.col) for w in warnings], body


# ---------------------------------------------------------------------------
# 2b. Sanitising what bodies became


class _Tree(HTMLParser):
    """Start tags, end tags and text: what a browser builds, for comparing two HTML texts.

    ``tbody`` is left out: a browser adds it to every table anyway.
    """

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[Any, ...]] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag != "tbody":
            self.events.append(("start", tag, tuple(sorted((n, v or "") for n, v in attrs))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and tag != "tbody":
            self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + data)
        else:
            self.events.append(("text", data))


def tree(html_text: str) -> _Tree:
    parsed = _Tree()
    parsed.feed(html_text)
    parsed.close()
    return parsed


MATERIAL_EXTENSIONS = [
    *EXTENSIONS,
    "abbr",
    "admonition",
    "def_list",
    "footnotes",
    "toc",
    "pymdownx.arithmatex",
    "pymdownx.caret",
    "pymdownx.critic",
    "pymdownx.details",
    "pymdownx.emoji",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.keys",
    "pymdownx.mark",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.tilde",
]


def material_html(text: str) -> str:
    """Markdown as a Material site with the usual extensions turns it into HTML."""
    configs: dict[str, dict[str, Any]] = {
        **EXTENSION_CONFIGS,
        "toc": {"permalink": True},
        "pymdownx.arithmatex": {"generic": True},
        "pymdownx.emoji": {"emoji_index": twemoji, "emoji_generator": to_svg},
        "pymdownx.highlight": {"anchor_linenums": True, "pygments_lang_class": True},
        "pymdownx.tabbed": {"alternate_style": True},
        "pymdownx.tasklist": {"custom_checkbox": True},
    }
    return str(markdown.markdown(text, extensions=MATERIAL_EXTENSIONS, extension_configs=configs))


ORDINARY_BODY = """\
## What this map shows {#shows .lead}

Maya *compares* **three** accounts in `the app`, reads [the FAQ](https://example.org "FAQ")
and ![a chart](chart.png "Drop-off"){ width="300" loading=lazy }; see <https://example.org>,
H~2~O, x^2^, ==marked==, ~~gone~~, ++ctrl+alt+del++, :smile: :material-account:, $E=mc^2$
and the HTML[^1] spec.

*[HTML]: Hyper Text Markup Language

[^1]: A footnote.

> "I nearly gave up."

1. First
2. Second
    - nested

- [x] done
- [ ] to do

Term
:   Definition

| Stage | Drop-off | Notes |
| :---- | -------: | :---: |
| Apply | 38%      | high  |

!!! note "Finding"
    Half of them on the address page.

??? tip "Folded"
    More detail.

=== "Before"
    Old flow.

=== "After"
    New flow.

```python linenums="1" hl_lines="2"
def drop_off(started, finished):
    return 1 - finished / started
```

    indented code

```mermaid
graph TD; A-->B
```

{++added++} {--removed--}

<div class="grid cards" markdown>
- a card
</div>

<figure markdown="span">
  ![Photo](photo.png){ width="300" }
  <figcaption>Branch workshop</figcaption>
</figure>

<details open><summary>Raw HTML</summary><p title="t">kept <kbd>Ctrl</kbd> <sub>1</sub></p></details>

[Book a call](#){ .md-button .md-button--primary }

***
"""


def test_sanitizing_keeps_what_markdown_and_material_make_of_an_ordinary_body() -> None:
    made = material_html(ORDINARY_BODY)
    assert tree(sanitize_body_html(made)).events == tree(made).events


def test_sanitizing_keeps_every_golden_page() -> None:
    """cjm's own markup (anchors, tables, diagrams, the admonition) is kept too."""
    for page in render_site(load(GOLDEN / "journeys"), history=GOLDEN_HISTORY):
        made = material_html(page.markdown)
        assert tree(sanitize_body_html(made)).events == tree(made).events, page.uri


@pytest.mark.parametrize(
    ("hostile", "clean"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ('<p onclick="alert(1)">Hi</p>', "<p>Hi</p>"),
        ('<img src="x" onerror="alert(1)" alt="a">', '<img src="x" alt="a">'),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="JaVa&#115;cript&colon;alert(1)" title="t">x</a>', '<a title="t">x</a>'),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="a">', '<img alt="a">'),
        ('<iframe src="https://evil.example"></iframe>after', "after"),
        ("<object data=x></object><embed src=y>after", "after"),
        ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0">x', "x"),
        ("<style>body{display:none}</style>x", "x"),
        (  # no form to send anything: an input alone is inert
            '<form action="https://evil.example"><input type="text" name="pin"></form>',
            '<input type="text" name="pin">',
        ),
        ('<div style="position:fixed;inset:0">over</div>', "<div>over</div>"),
        ('<h2 id="a" onmouseover="x()">T</h2>', '<h2 id="a">T</h2>'),
        ('<svg onload="alert(1)"><script>alert(2)</script></svg>', "<svg></svg>"),
        ("<!-- <script>alert(1)</script> -->x", "x"),
    ],
)
def test_sanitizing_removes_what_can_run_script(hostile: str, clean: str) -> None:
    assert sanitize_body_html(hostile) == clean


TAG_NAMES = [
    "a", "img", "svg", "math", "script", "iframe", "style", "div", "p", "table", "td",
    "textarea", "noscript", "template", "xmp", "title", "object", "embed", "base", "form",
    "input", "button", "animate", "set", "use", "image", "details", "video", "source",
]  # fmt: skip
ATTRIBUTE_NAMES = [
    "href", "src", "onerror", "onload", "ONCLICK", "onmouseover", "xlink:href", "formaction",
    "action", "style", "srcdoc", "data", "values", "to", "title", "id", "class", "attributename",
]  # fmt: skip
VALUES = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:x",
    "java&#115;cript:x", "&#106;avascript:x", "&#x6A;avascript:x", "javascript&colon;x",
    "data:text/html,<script>alert(1)</script>", "vbscript:x", "x", "https://example.org",
    "\"><script>alert(1)</script>", "alert(1)", "href",
]  # fmt: skip


@st.composite
def hostile_attribute(draw: st.DrawFn) -> str:
    separator = draw(st.sampled_from([" ", "/", "\n", '"']))
    name = mixed_case(draw, draw(st.sampled_from(ATTRIBUTE_NAMES)))
    quote = draw(st.sampled_from(['"', "'", ""]))
    return f"{separator}{name}={quote}{draw(st.sampled_from(VALUES))}{quote}"


@st.composite
def hostile_html(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 8))):
        what = draw(st.sampled_from(["open", "close", "text", "comment"]))
        if what == "open":
            name = mixed_case(draw, draw(st.sampled_from(TAG_NAMES)))
            attributes = draw(st.lists(hostile_attribute(), max_size=3))
            pieces.append(f"<{name}{''.join(attributes)}>")
        elif what == "close":
            pieces.append(f"</{draw(st.sampled_from(TAG_NAMES))}>")
        elif what == "comment":
            pieces.append(draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<!-->"])))
        else:
            pieces.append(draw(st.text(alphabet="ab<>\"'=&;# ", max_size=8)))
    return "".join(pieces)


@settings(max_examples=400, deadline=None)
@given(hostile_html())
def test_sanitized_html_never_holds_script_handlers_or_script_urls(hostile: str) -> None:
    clean = sanitize_body_html(hostile)
    assert "<script" not in clean.lower()
    parsed = tree(clean)
    for tag, name, value in parsed.attributes:
        assert not name.startswith("on"), (tag, name, clean)
        assert name != "style" or any(value in kept[name] for kept in SANITIZED_STYLES.values())
        if name in URL_ATTRIBUTES:
            assert url_scheme(value) is None, (tag, name, clean)
    assert not {"script", "iframe", "object", "embed", "base", "form", "style", "meta"} & {
        event[1] for event in parsed.events if event[0] == "start"
    }


# ---------------------------------------------------------------------------
# 2c. The option


def test_bodies_option_is_raw_unless_set_to_sanitized() -> None:
    def validated(options: dict[str, Any]) -> CjmConfig:
        config = CjmConfig()
        config.load_dict(options)
        failed, _ = config.validate()
        if failed:
            raise failed[0][1]
        return config

    assert validated({}).bodies == "raw"
    assert validated({"bodies": "sanitized"}).bodies == "sanitized"
    with pytest.raises(ValidationError, match="raw"):
        validated({"bodies": "clean"})


HOSTILE_BODY = """\
## Findings

Half of the applicants stop at the address page.

| Stage | Drop-off |
| --- | --- |
| Apply | 38% |

<script>window.cjmBodyRan = true</script>
<img src="x" onerror="window.cjmBodyRan = true">
[Read more](javascript:window.cjmBodyRan=true)
"""


def body_site(tmp_path: Path, body: str, plugin: dict[str, Any]) -> Path:
    """A real Material site whose savings journey has ``body``; the site folder."""
    maps = realistic_journeys()
    maps["journeys/savings.md"] = maps["journeys/savings.md"].replace(
        "Research notes for this journey.\n", body
    )
    extensions = [
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "footnotes",
        "md_in_html",
        "pymdownx.details",
        "pymdownx.highlight",
        "pymdownx.keys",
        "pymdownx.mark",
        {"pymdownx.tabbed": {"alternate_style": True}},
        {"pymdownx.tasklist": {"custom_checkbox": True}},
        {"toc": {"permalink": True}},
    ]
    config_file = write_project(tmp_path, maps, plugin=plugin, markdown_extensions=extensions)
    return build_site(config_file)


def hostile_body_site(tmp_path: Path, plugin: dict[str, Any]) -> str:
    site = body_site(tmp_path, HOSTILE_BODY, plugin)
    return (site / "journeys" / "savings" / "index.html").read_text(encoding="utf-8")


def article(page: Path) -> str:
    """The page's content, without the theme around it."""
    text = page.read_text(encoding="utf-8")
    return text.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>")[0]


def test_raw_bodies_are_published_as_written(tmp_path: Path) -> None:
    page = hostile_body_site(tmp_path, {})
    assert "<script>window.cjmBodyRan = true</script>" in page
    assert 'onerror="window.cjmBodyRan = true"' in page


def test_sanitized_bodies_keep_markdown_and_lose_script(tmp_path: Path) -> None:
    page = hostile_body_site(tmp_path, {"bodies": "sanitized"})
    assert "cjmBodyRan" not in page.split('<div class="md-content"', 1)[1].split("</article>")[0]
    assert '<h2 id="findings">Findings' in page
    assert "<td>38%</td>" in page
    assert 'class="mermaid"' in page


def test_sanitized_site_looks_the_same_for_ordinary_bodies(tmp_path: Path) -> None:
    raw = body_site(tmp_path / "raw", ORDINARY_BODY, {})
    sanitized = body_site(tmp_path / "sanitized", ORDINARY_BODY, {"bodies": "sanitized"})
    pages = sorted(page.relative_to(raw) for page in raw.glob("*/**/index.html"))
    assert len(pages) == 9
    for page in pages:
        assert tree(article(sanitized / page)).events == tree(article(raw / page)).events, page
    assert article(sanitized / "journeys/savings/index.html") != article(
        raw / "journeys/savings/index.html"
    )  # the comment cjm writes, at least, is gone: the option took effect


def test_github_format_shows_no_control_character_of_a_file_name() -> None:
    from cjm_plugin.diagnostics import error, format_github

    line = format_github(error("journeys/a\x1b[31mb.md", 1, 1, "file-name", "bad name"))
    assert "\x1b" not in line
    assert line.startswith("::error file=journeys/a\ufffd[31mb.md,")
