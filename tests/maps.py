"""Small valid journey maps: one persona, one touchpoint, one journey, and a folder of them."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

PERSONA = """\
---
type: persona
name: Jane Doe
---
Jane's story.
"""

TOUCHPOINT = """\
---
type: touchpoint
name: Checkout page
channel: web
category: purchase
---
"""

JOURNEY = """\
---
type: journey
title: Jane buys an online course
personas: [jane-doe]
touchpoints:
  - id: linkedin-ad
    name: LinkedIn ad
    channel: social
stages:
  - name: Awareness
    steps:
      - name: Sees an ad on LinkedIn
        touchpoints: [linkedin-ad]
        emotion: 3
  - name: Purchase
    steps:
      - name: Pays
        touchpoints: [checkout-page]
        emotion: 2
        pain_points: [Long form]
reviewed: "2026-10-01"
---
Notes.
"""


def make_folder(root: Path, files: Mapping[str, str | bytes]) -> Path:
    folder = root / "journeys"
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    folder.mkdir(exist_ok=True)
    return folder


def valid_files() -> dict[str, str | bytes]:
    return {"jane-doe.md": PERSONA, "checkout-page.md": TOUCHPOINT, "buy.md": JOURNEY}
