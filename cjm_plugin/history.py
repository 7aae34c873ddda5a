"""A journey file's revision history, read from git, for the journey page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Revision:
    """One commit that touched a journey file."""

    commit: str
    """The abbreviated commit hash."""
    date: str
    """The author date, ISO ``YYYY-MM-DD``."""
    author: str
    subject: str
