"""MkDocs' navigation as the plain items of :mod:`cjm_plugin.nav`, and back.

``nav.place_generated_pages`` decides where generated pages go on plain
data; these two functions are the MkDocs side of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page as MkDocsPage

from .nav import NavItem, NavOther, NavPage, NavSection


def plain_items(items: Sequence[StructureItem]) -> tuple[NavItem, ...]:
    plain: list[NavItem] = []
    for item in items:
        if isinstance(item, MkDocsPage):
            plain.append(NavPage(item.file.src_uri, item))
        elif isinstance(item, Section):
            plain.append(NavSection(item.title, plain_items(item.children), item))
        else:
            plain.append(NavOther(str(item.title), item))
    return tuple(plain)


def _made_items(items: Sequence[NavItem], generated: dict[str, MkDocsPage]) -> list[StructureItem]:
    made: list[StructureItem] = []
    for item in items:
        if isinstance(item, NavSection):
            children = _made_items(item.children, generated)
            section = item.origin if isinstance(item.origin, Section) else None
            if section is None:
                section = Section(item.title, children)
            section.children = children
            made.append(section)
        elif isinstance(item, NavPage):
            page = item.origin if isinstance(item.origin, MkDocsPage) else generated[item.uri]
            made.append(page)
        else:
            assert isinstance(item.origin, StructureItem)
            made.append(item.origin)
    return made


def _set_parents(items: Sequence[StructureItem], parent: Section | None) -> None:
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            _set_parents(item.children, item)


def mkdocs_items(items: Sequence[NavItem], generated: dict[str, MkDocsPage]) -> list[StructureItem]:
    """MkDocs' items for the plain ``items``, each knowing its parent section."""
    made = _made_items(items, generated)
    _set_parents(made, None)
    return made
