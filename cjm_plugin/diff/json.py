"""The report for tools: a JSON document.

JSON output (``--format json``), version 1. Every key is always present;
``null`` where it does not apply::

    {
      "format": "cjm-diff", "version": 1,
      "before": "HEAD",              # label of each side: a revision,
      "after": "working tree",       #   "working tree" or a folder path
      "changed": true,
      "summary": "1 journey changed, 1 persona added",   # or "no changes"
      "records": [                   # journeys, then personas, then
        {                            #   touchpoints, then tables; each sorted by id
          "type": "journey",         # journey | persona | touchpoint, or an
                                     #   input's files: measurements (a table)
          "id": "course-purchase",   # a table's id is its path
          "status": "changed",       # added | removed | changed
          "title": "Jane buys ...",  # journey title, persona or touchpoint name;
                                     #   a table's file name and rows: "s.csv, 12 rows"
          "path": "buy/course.md",   # inside the journeys folder (after side,
                                     #   or before side for a removed record)
          "average_emotion": {"before": 3.2, "after": 3.6},   # journeys only;
                                     #   a side without the journey is null
          "emotions": {"before": [{"stage": "...", "step": "...", "emotion": 3}],
                       "after": [...]},                       # journeys only
          "changes": [               # in reading order; [] when added/removed
            {"kind": "emotion", "stage": "Purchase",
             "step": "Fills the checkout form", "field": null, "item": null,
             "before": 2, "after": 4}
          ]
        }
      ]
    }

The change kinds, and the keys each one fills, are listed in ``changes.py``.
"""

from __future__ import annotations

import json
from typing import Any

from .changes import ChangeSet, EmotionCurve, RecordDiff

JSON_VERSION = 1


def format_json(change_set: ChangeSet) -> str:
    """The documented JSON document (see the module docstring)."""

    def curve(points: EmotionCurve | None) -> list[dict[str, Any]] | None:
        if points is None:
            return None
        return [{"stage": s, "step": t, "emotion": e} for s, t, e in points]

    def record(r: RecordDiff) -> dict[str, Any]:
        journey = r.type == "journey"
        return {
            "type": r.type,
            "id": r.id,
            "status": r.status,
            "title": r.title,
            "path": r.path,
            "average_emotion": (
                {"before": r.average_before, "after": r.average_after} if journey else None
            ),
            "emotions": (
                {"before": curve(r.emotions_before), "after": curve(r.emotions_after)}
                if journey
                else None
            ),
            "changes": [c.as_json() for c in r.changes],
        }

    document = {
        "format": "cjm-diff",
        "version": JSON_VERSION,
        "before": change_set.before,
        "after": change_set.after,
        "changed": change_set.changed,
        "summary": change_set.summary,
        "records": [record(r) for r in change_set.records],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
