"""The Markdown extensions generated pages may rely on, set up as the plugin documents them."""

from __future__ import annotations

from pymdownx.superfences import fence_code_format

#: The extensions the generated pages may rely on (the plugin documents them).
EXTENSIONS = ["tables", "attr_list", "md_in_html", "pymdownx.superfences"]
EXTENSION_CONFIGS = {
    "pymdownx.superfences": {
        "custom_fences": [
            {
                "name": "mermaid",
                "class": "mermaid",
                "format": fence_code_format,
            }
        ]
    }
}
