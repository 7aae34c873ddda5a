"""Temporary MkDocs projects for the end-to-end and browser tests.

A project is a folder with mkdocs.yml, docs/ and journeys/, built with the
real MkDocs (``load_config`` + ``build``) exactly as ``mkdocs build`` would.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

MERMAID_FENCE_YAML = """\
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


def record(front: Mapping[str, Any], body: str = "") -> str:
    """One journey file: YAML front matter (dumped, so any text is quoted right) and a body."""
    text = yaml.safe_dump(dict(front), allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n{body}"


def persona(persona_id: str, name: str, **fields: Any) -> str:
    return record(
        {"type": "persona", "id": persona_id, "name": name, **fields}, "The persona's story.\n"
    )


def touchpoint(touchpoint_id: str, name: str, channel: str, **fields: Any) -> str:
    return record(
        {"type": "touchpoint", "id": touchpoint_id, "name": name, "channel": channel, **fields}
    )


def journey(
    journey_id: str, title: str, personas: Sequence[str], stages: Sequence[Any], **fields: Any
) -> str:
    front = {"type": "journey", "id": journey_id, "title": title, "personas": list(personas)}
    front.update(fields)
    front["stages"] = list(stages)
    return record(front, "Research notes for this journey.\n")


def valid_maps() -> dict[str, str]:
    """The least a valid folder needs: one persona, one touchpoint, one journey."""
    return {
        "personas/ann.md": persona("ann", "Ann"),
        "touchpoints/web.md": touchpoint("web", "Website", "web"),
        "journeys/signup.md": journey(
            "signup",
            "Signs up",
            ["ann"],
            [{"name": "Join", "steps": [{"name": "Fills the form", "emotion": 3}]}],
            reviewed="2026-10-01",
        ),
    }


def realistic_journeys() -> dict[str, str]:
    """A small bank's maps: 3 personas, 4 touchpoints (one inline), current and future states."""
    return {
        "personas/maya-chen.md": persona(
            "maya-chen",
            "Maya Chen",
            role="Nurse",
            goals=["Open an account fast"],
            challenges=["Works night shifts"],
            quote="I bank on my phone.",
        ),
        "personas/daniel-osei.md": persona("daniel-osei", "Daniel Osei", role="Student"),
        "personas/ruth-hansen.md": persona("ruth-hansen", "Ruth Hansen", segment="Retired"),
        "touchpoints/product-page.md": touchpoint(
            "product-page", "Product page", "web", category="pre-purchase", owner="web-team"
        ),
        "touchpoints/identity-check.md": touchpoint(
            "identity-check", "Identity check", "mobile-app", category="purchase"
        ),
        "touchpoints/welcome-email.md": touchpoint(
            "welcome-email", "Welcome email", "email", category="post-purchase"
        ),
        "journeys/account-opening.md": journey(
            "account-opening",
            "Maya opens a current account",
            ["maya-chen"],
            state="current",
            compares_to="account-opening-future",
            objective="Halve drop-off at the identity check",
            touchpoints=[
                {"id": "branch", "name": "Branch", "channel": "store", "category": "purchase"}
            ],
            stages=[
                {
                    "name": "Discover",
                    "goal": "Find an account without fees",
                    "steps": [
                        {
                            "name": "Compares accounts online",
                            "touchpoints": ["product-page"],
                            "emotion": 4,
                            "thoughts": "Which one has no fees?",
                            "opportunities": ["Fee calculator"],
                        },
                    ],
                },
                {
                    "name": "Apply",
                    "steps": [
                        {
                            "name": "Uploads her passport",
                            "touchpoints": ["identity-check"],
                            "emotion": 2,
                            "pain_points": ["Photo rejected twice"],
                            "moment_of_truth": True,
                        },
                        {
                            "name": "Visits a branch",
                            "touchpoints": ["branch"],
                            "emotion": 1,
                            "actors": ["maya-chen", "daniel-osei"],
                            "pain_points": ["Long queue"],
                        },
                    ],
                },
                {
                    "name": "Onboard",
                    "steps": [
                        {
                            "name": "Reads the welcome email",
                            "touchpoints": ["welcome-email"],
                            "emotion": 4,
                        },
                    ],
                },
            ],
            metrics=[{"name": "Completion rate", "before": "55%", "after": "80%"}],
            actions=[
                {
                    "title": "Accept phone photos",
                    "owner": "id-team",
                    "due": "2026-03-01",
                    "status": "in-progress",
                }
            ],
        ),
        "journeys/account-opening-future.md": journey(
            "account-opening-future",
            "Maya opens an account in ten minutes",
            ["maya-chen"],
            state="future",
            compares_to="account-opening",
            stages=[
                {
                    "name": "Discover",
                    "steps": [
                        {
                            "name": "Compares accounts online",
                            "touchpoints": ["product-page"],
                            "emotion": 4,
                        },
                    ],
                },
                {
                    "name": "Apply",
                    "steps": [
                        {
                            "name": "Scans her passport with the app",
                            "touchpoints": ["identity-check"],
                            "emotion": 4,
                        },
                    ],
                },
            ],
        ),
        "journeys/savings.md": journey(
            "savings",
            "Ruth moves her savings",
            ["ruth-hansen"],
            stages=[
                {
                    "name": "Decide",
                    "steps": [
                        {"name": "Calls about rates", "touchpoints": ["branch"], "emotion": 3},
                        {
                            "name": "Reads the rates page",
                            "touchpoints": ["product-page"],
                            "emotion": 2,
                            "pain_points": ["Rates hidden in a PDF"],
                        },
                    ],
                },
            ],
        ),
    }


#: Text that breaks naive Mermaid, Markdown or HTML output if it is not escaped.
ADVERSARIAL_TEXTS = (
    "Pays: card; then # %% done",
    "%%{init: {'theme': 'dark'}}%% click title section accTitle",
    "</title><script>alert(1)</script> & \"quoted\" 'single'",
    "[x](javascript:alert(1)) | * _ stars_ *",
    "Ödeme adımı — 支払い — оплата — الدفع",
    '<b id="cjm-injected" onmouseover="alert(3)">x</b><img src=x onerror=alert(2)>',
)


def adversarial_journeys() -> dict[str, str]:
    """Maps whose names, stages, pain points and titles carry the adversarial texts."""
    texts = ADVERSARIAL_TEXTS
    return {
        "personas/p.md": persona("p", texts[2], role=texts[3], quote=texts[1]),
        "touchpoints/t.md": touchpoint("t", texts[3], "web", owner=texts[0]),
        "journeys/evil.md": journey(
            "evil",
            texts[0] + " " + texts[2],
            ["p"],
            objective=texts[3],
            stages=[
                {
                    "name": text,
                    "id": f"stage-{index}",
                    "goal": text,
                    "steps": [
                        {
                            "name": step,
                            "touchpoints": ["t"],
                            "emotion": 1 + (index + offset) % 5,
                            "thoughts": step,
                            "pain_points": [step],
                            "opportunities": [step],
                            "moment_of_truth": offset == 0,
                        }
                        for offset, step in enumerate((text, texts[(index + 1) % len(texts)]))
                    ],
                }
                for index, text in enumerate(texts)
            ],
            metrics=[{"name": texts[1], "before": texts[2]}],
            actions=[{"title": texts[3], "owner": texts[4]}],
        ),
    }


#: A hook that records the navigation MkDocs ends up with, after every plugin shaped it.
NAV_HOOK = """\
import json
from pathlib import Path

from mkdocs.plugins import event_priority


def _shape(items):
    shaped = []
    for item in items:
        if item.is_section:
            shaped.append({"section": item.title, "children": _shape(item.children)})
        elif item.is_page:
            shaped.append({"page": item.file.src_uri})
        else:
            shaped.append({"link": item.url})
    return shaped


@event_priority(-100)
def on_nav(nav, config, files):
    recorded = {"items": _shape(nav.items), "pages": [page.file.src_uri for page in nav.pages]}
    Path(config.config_file_path).with_name("nav.json").write_text(json.dumps(recorded))
"""


def write_project(
    root: Path,
    journeys: Mapping[str, str],
    docs: Mapping[str, str] | None = None,
    *,
    plugin: Mapping[str, Any] | None = None,
    nav: Sequence[Any] | None = None,
    theme: Any = None,
    mermaid_fence: bool = True,
    record_nav: bool = True,
    plugins_first: Sequence[Any] = (),
    **settings: Any,
) -> Path:
    """Write mkdocs.yml, docs/ and journeys/ under ``root``; return the config file."""
    for folder, files in (("journeys", journeys), ("docs", docs or {"index.md": "# Home\n"})):
        for relative, text in files.items():
            path = root / folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    config: dict[str, Any] = {
        "site_name": "Journeys test",
        "theme": theme if theme is not None else {"name": "material", "font": False},
        "plugins": [*plugins_first, {"cjm": dict(plugin or {})}],
        **settings,
    }
    if nav is not None:
        config["nav"] = list(nav)
    extensions = config.pop("markdown_extensions", None)
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    if mermaid_fence:  # the fence's format is a Python name: YAML written as the docs show it
        text += MERMAID_FENCE_YAML
        for extension in extensions or []:
            text += (
                "  "
                + yaml.safe_dump([extension], allow_unicode=True, sort_keys=False)
                .replace("\n", "\n  ")
                .rstrip()
                + "\n"
            )
    elif extensions is not None:
        text += yaml.safe_dump(
            {"markdown_extensions": extensions}, allow_unicode=True, sort_keys=False
        )
    if record_nav:
        (root / "nav_hook.py").write_text(NAV_HOOK, encoding="utf-8")
        text += "hooks:\n  - nav_hook.py\n"
    config_file = root / "mkdocs.yml"
    config_file.write_text(text, encoding="utf-8")
    return config_file


def build_site(config_file: Path, *, strict: bool = False, site_dir: Path | None = None) -> Path:
    """Build the project like ``mkdocs build [--strict]``; return the site folder."""
    overrides = {"site_dir": str(site_dir)} if site_dir is not None else {}
    config = load_config(str(config_file), strict=strict, **overrides)
    build(config)
    return Path(config.site_dir)


def commit_all(root: Path, subject: str) -> None:
    """Make the project a git repository with one commit, for the journey history."""
    identity = ["-c", "user.name=Ann Author", "-c", "user.email=ann@example.org"]
    for arguments in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", subject]):
        subprocess.run(["git", *identity, *arguments], cwd=root, check=True, capture_output=True)


def recorded_nav(config_file: Path) -> dict[str, Any]:
    """The navigation ``NAV_HOOK`` recorded in the last build of this project."""
    recorded: dict[str, Any] = json.loads(config_file.with_name("nav.json").read_text())
    return recorded


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under a folder by relative path, with a hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
