"""``docs/configuration.md`` documents exactly the options of the plugin.

The options live in ``CjmConfig``; the docs keep a table of them by hand, a
section for some and a block of defaults. An option added to the config (or
dropped from it) must show in the docs in the same change, so these tests read
the options from ``CjmConfig`` itself, never from a list kept here.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cjm_plugin.config import CjmConfig

ROOT = Path(__file__).resolve().parent.parent
CONFIGURATION_DOCS = ROOT / "docs" / "configuration.md"
#: The first cell of a row of the options table: | `OPTION` | ...
_TABLE_ROW = re.compile(r"^\| `([^`]+)` \|")
#: The header row of the options table.
_TABLE_HEADER = re.compile(r"^\| option \|", re.MULTILINE | re.IGNORECASE)
#: A heading of its own for an option: ### `OPTION`
_OPTION_HEADING = re.compile(r"^### `([^`]+)`$")
#: The block of defaults, in YAML.
_YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _options() -> dict[str, object]:
    """Every option of the plugin, with its default."""
    return {name: option.default for name, option in CjmConfig._schema}


def _plugin_options_section() -> str:
    """The docs from "## Plugin options" to the next section of the same level."""
    text = CONFIGURATION_DOCS.read_text(encoding="utf-8")
    start = text.index("\n## Plugin options\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _table_rows() -> list[str]:
    """The option of each row of the options table, in the docs' order."""
    section = _plugin_options_section()
    header = _TABLE_HEADER.search(section)
    assert header, "docs/configuration.md has a table of the options: | option | ..."
    rows = []
    for line in section[header.end() :].splitlines()[2:]:  # after the header and |---|
        if not line.startswith("|"):
            break
        match = _TABLE_ROW.match(line)
        assert match, f"a row of the options table that names no option: {line!r}"
        rows.append(match.group(1))
    return rows


def test_the_options_table_lists_every_option_once_and_nothing_else() -> None:
    rows = _table_rows()
    options = set(_options())
    twice = sorted({row for row in rows if rows.count(row) > 1})
    missing = sorted(options - set(rows))
    unknown = sorted(set(rows) - options)
    assert not twice, f"options listed twice in docs/configuration.md: {twice}"
    assert not missing, f"options of CjmConfig missing from docs/configuration.md: {missing}"
    assert not unknown, f"documented in docs/configuration.md, not options of CjmConfig: {unknown}"


def test_each_option_section_is_about_an_option() -> None:
    headings = [
        match.group(1)
        for line in _plugin_options_section().splitlines()
        if (match := _OPTION_HEADING.match(line))
    ]
    assert headings, "the options with more to say have a section each"
    unknown = sorted(set(headings) - set(_options()))
    assert not unknown, f"sections of docs/configuration.md about no option: {unknown}"


def test_the_block_of_defaults_names_options_with_their_defaults() -> None:
    block = _YAML_BLOCK.search(_plugin_options_section())
    assert block, "the section opens with the defaults as a mkdocs.yml"
    plugins = yaml.safe_load(block.group(1))["plugins"]
    shown = next(p["cjm"] for p in plugins if isinstance(p, dict) and "cjm" in p)
    options = _options()
    unknown = sorted(set(shown) - set(options))
    assert not unknown, f"in the defaults of docs/configuration.md, not options: {unknown}"
    assert {name: options[name] for name in shown} == shown
