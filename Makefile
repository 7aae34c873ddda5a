# The two commands of the README: `make site` (or `make serve`) and `make test`.
# Each sets up what it needs first, on a fresh machine too.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MERMAID := node_modules/mermaid/dist/mermaid.min.js
SITE_MERMAID := docs/javascripts/mermaid.min.js
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site serve test lint typecheck bench browser-tools

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

# Mermaid from the npm registry, self-hosted: the site and the browser tests load nothing from a CDN.
$(MERMAID): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(SITE_MERMAID): $(MERMAID)
	mkdir -p $(dir $@)
	cp $(MERMAID) $@

# The Mermaid the package ships (mermaid: bundled), refreshed from the version package-lock.json pins.
VENDORED_MERMAID := cjm_plugin/assets/mermaid
.PHONY: vendor-mermaid
vendor-mermaid: $(MERMAID)
	cp $(MERMAID) node_modules/mermaid/LICENSE $(VENDORED_MERMAID)/
	@v=$$(node -p 'require("./node_modules/mermaid/package.json").version'); \
		sed -i -E "s/Mermaid [0-9]+\.[0-9]+\.[0-9]+/Mermaid $$v/" $(VENDORED_MERMAID)/README.md; \
		echo "vendored Mermaid $$v"

# Debian's Chromium for the browser tests (CI runs as root; elsewhere sudo may be needed).
# The colour emoji font draws the emotion faces in screenshots as readers see them.
browser-tools: $(MERMAID)
	@command -v chromium >/dev/null 2>&1 && [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || \
		{ apt-get update -qq && apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; }

site: setup $(SITE_MERMAID)
	$(VENV)/bin/mkdocs build --strict

serve: setup $(SITE_MERMAID)
	$(VENV)/bin/mkdocs serve

# The package, its tests and its benchmarks: all Python in the repository, one style.
LINTED := cjm_plugin tests benchmarks

lint: setup
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

# What mypy checks (strict) is set in pyproject.toml: the package, tests and benchmarks.
typecheck: setup
	$(VENV)/bin/mypy

# pytest runs last, so its summary closes the output. The example maps are validated
# without --strict: they keep a stale map and a drifting step on purpose, to show
# both on the site (tests/test_example_maps.py pins exactly those warnings).
test: setup browser-tools lint typecheck $(SITE_MERMAID)
	$(VENV)/bin/cjm validate journeys
	$(VENV)/bin/mkdocs build --strict --quiet --site-dir "$$(mktemp -d)"
	$(MAKE) --no-print-directory bench BENCH_ARGS=--smoke
	$(VENV)/bin/pytest -q -n 2

bench: setup
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Pictures of the example site's pages (every page kind, wide in both palettes and on a phone)
# for the README and docs/index.md: built, served on 127.0.0.1 and shot in headless Chromium.
.PHONY: screenshots
screenshots: setup browser-tools $(SITE_MERMAID)
	$(PY) tests/browser/screenshots.py docs/images
