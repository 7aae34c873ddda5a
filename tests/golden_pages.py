"""The golden journey maps (``tests/golden/render``), their history, and loading a folder."""

from __future__ import annotations

from pathlib import Path

from cjm_plugin.history import Revision
from cjm_plugin.load import load_folder
from cjm_plugin.registry import Registry

GOLDEN = Path(__file__).parent / "golden" / "render"
GOLDEN_HISTORY = {
    "account-opening": [
        Revision("a1b2c3d", "2026-05-14", "Sam Lee", "Add the branch workshop findings"),
        Revision("0f9e8d7", "2026-04-02", "Ana | Ruiz", "First *draft* of <the> map"),
    ]
}


def load(folder: Path) -> Registry:
    result = load_folder(folder)
    assert result.registry is not None, [str(d) for d in result.diagnostics]
    return result.registry
