# Quick start: `make run` and `make test`; both set up .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TRANSLATIONS := web/translations
CHROMIUM ?= /usr/bin/chromium
BROWSER_PACKAGES := chromium fonts-wqy-microhei

.PHONY: setup run test fuzz lint catalogs messages browser screenshots bench wrk clean

setup: $(STAMP) catalogs

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Compile the translation catalogs (.po → .mo); the .mo files are build products.
catalogs: $(STAMP)
	@$(BIN)/pybabel compile --domain messages --directory $(TRANSLATIONS) --statistics

# After changing user-visible strings: extract them and merge them into the catalogs.
messages: $(STAMP)
	$(BIN)/pybabel extract --mapping-file web/babel.cfg --keyword _l --keyword lazy_gettext \
		--keyword lazy_pgettext:1c,2 \
		--no-location --sort-output --omit-header --output-file $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update --input-file $(TRANSLATIONS)/messages.pot --output-dir $(TRANSLATIONS) \
		--no-fuzzy-matching --ignore-obsolete

# The browser tests drive Debian's Chromium (with a font for Chinese text).
browser:
	@if [ -x "$(CHROMIUM)" ] && fc-list :lang=zh 2>/dev/null | grep -q .; then \
		true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing $(BROWSER_PACKAGES) for the browser tests (apt-get)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES) >/dev/null; \
	elif [ "$$CI" = true ]; then \
		echo "Chromium or a Chinese font is missing (CI=true: failing)." \
			"Install them with: sudo apt-get install -y $(BROWSER_PACKAGES)"; \
		exit 1; \
	else \
		echo "Chromium or a Chinese font is missing, so the browser tests will be skipped." \
			"Install them with: sudo apt-get install -y $(BROWSER_PACKAGES)"; \
	fi

run: setup
	$(BIN)/registry demo --if-empty
	$(BIN)/registry serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy domain registry projections web bench

test: lint catalogs browser
	$(BIN)/python -m pytest -q

# The security suite at length: every listed hostile value, and many drawn ones; 100 kills
# of the server under load (docs/reliability.md). Longer runs of other parts join this target.
FUZZ_EXAMPLES ?= 5000
CRASH_TRIALS ?= 100
fuzz: catalogs
	REGISTRY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) REGISTRY_CRASH_TRIALS=$(CRASH_TRIALS) $(BIN)/python -m pytest -q tests/security

# Replace the README's screenshots (docs/screenshots) with new ones from the browser tests.
screenshots: catalogs browser
	REGISTRY_SCREENSHOTS=docs $(BIN)/python -m pytest -q tests/browser

# The web benchmark loads the server with wrk from a second process (apt-get, as root).
wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
		|| echo "wrk is missing: bench/web.py falls back to a Python client"

bench: $(STAMP) catalogs wrk
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
	find $(TRANSLATIONS) -name '*.mo' -delete
