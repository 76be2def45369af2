# Two entry points, both safe to run on a fresh clone:
#   make run    set up a virtual environment and start the app
#   make test   set up everything the tests need and run the whole suite
# On Debian/Ubuntu the Qt system libraries are installed when missing
# (as root, or through sudo when it is there).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The tests run on exact, hash-checked versions, so that a release published
# tomorrow cannot turn a green run red; `make test-latest` tries the newest
# ones and `make lock` refreshes this file (see the README).
LOCK := .ci/requirements.lock

# What PySide6 needs beyond a bare Debian/Ubuntu: libpulse0 for QtMultimedia
# and QtTextToSpeech (even offscreen), the xcb libraries for a real window,
# fonts, and D-Bus (the library for the screensaver inhibitor, the daemon and
# dbus-send for the tests that run a private session bus); poppler-utils (pdftotext) for the
# tests that read the back-care report's PDF back.
QT_SYSTEM_PACKAGES := libpulse0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
	libfontconfig1 libdbus-1-3 dbus libglib2.0-0 fonts-dejavu-core poppler-utils \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
	libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxcb-randr0

.PHONY: run test test-latest lock lint unit system-deps benchmarks figures clean

run: system-deps $(VENV)/.installed
	$(BIN)/routine-timer

test: system-deps $(VENV)/.installed-test lint unit

# The whole suite against the newest releases of everything, in a venv of
# its own (.venv-latest), built afresh each time. Not run by CI.
test-latest:
	rm -rf .venv-latest
	$(MAKE) test VENV=.venv-latest LATEST=1

# Run test-latest first: a lock is only worth refreshing to versions that pass.
lock: test-latest
	$(PYTHON) -m venv .venv-tools
	.venv-tools/bin/python -m pip install --quiet uv
	cd .ci && ../.venv-tools/bin/uv pip compile ../pyproject.toml build.in --extra dev \
		--universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
		--annotation-style line --upgrade -o requirements.lock

# The same checks as .pre-commit-config.yaml.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

unit: $(VENV)/.installed-test
	$(BIN)/python -m pytest

benchmarks: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run_all.py

# The pictures of docs/figures.md, after a change to routine_timer/core/figures.json.
figures: $(VENV)/.installed
	$(BIN)/routine-timer figures --svg docs/figures

# Installs only what is missing, and only where dpkg/apt-get exist; elsewhere
# (other distributions, macOS, Windows) the PySide6 wheels need nothing more.
system-deps:
	@if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
		missing=""; \
		for p in $(QT_SYSTEM_PACKAGES); do \
			dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
		done; \
		if [ -n "$$missing" ]; then \
			sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
			echo "Installing the system libraries Qt needs:$$missing"; \
			$$sudo apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
		fi; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml $(LOCK)
ifeq ($(LATEST),1)
	$(BIN)/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
else
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
endif
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .venv-latest .venv-tools build dist .pytest_cache .mypy_cache .ruff_cache
