# Mesoclinic developer commands. Each target works on a fresh machine:
# it finds a Python >= 3.12 by itself and builds .venv on first use.
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST  ?= 127.0.0.1
PORT  ?= 8000

.PHONY: run test test-fast bench lint docs install clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || { PY=$$(scripts/find-python) && "$$PY" -m venv $(VENV); }
	$(BIN)/python -m pip install -q -U pip
	@# opencv-python-headless (before issue 19) and mediapipe's opencv-contrib-python both
	@# install cv2: an older .venv drops both, then gets the one mediapipe needs.
	@if $(BIN)/python -m pip show -q opencv-python-headless >/dev/null 2>&1; then \
	  $(BIN)/python -m pip uninstall -q -y opencv-python-headless opencv-contrib-python; fi
	$(BIN)/python -m pip install -q -c requirements/constraints.txt -e '.[dev]'
	@touch $(STAMP)

## The application with demo data on SQLite, at http://$(HOST):$(PORT)
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP)
	$(BIN)/mesoclinic migrate --noinput
	$(BIN)/mesoclinic demo --url http://$(HOST):$(PORT)
	$(BIN)/mesoclinic worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/mesoclinic runserver $(HOST):$(PORT)

## The whole suite, on every core (JOBS=1 runs it in one process); the clinical engine
## (screening, planning, aftercare, triage, warning signs and the knowledge loader) must
## stay at 100% line and branch coverage.
JOBS ?= auto
ENGINE_OMIT := mesoclinic/engine/ask/*,mesoclinic/engine/photo/*
test: $(STAMP)
	@scripts/ensure-browser
	$(BIN)/coverage erase
	$(BIN)/python -m pytest -n $(JOBS) --cov --cov-report= $(PYTEST_ARGS)
	$(BIN)/coverage report --include='mesoclinic/engine/*' --omit='$(ENGINE_OMIT)' --fail-under=100

## The suite without the browser tests: a fast check while working.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) -m 'not browser' $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache  # the import contracts (pyproject.toml; docs/ARCHITECTURE.md)
	$(BIN)/mesoclinic check
	$(BIN)/mesoclinic makemigrations --check --dry-run
	$(BIN)/mesoclinic knowledge-doc --check

## Regenerate docs/knowledge.md from the knowledge data.
docs: $(STAMP)
	$(BIN)/mesoclinic knowledge-doc

## Refresh the pinned constraints from the current environment.
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > requirements/constraints.txt

clean:
	rm -rf $(VENV) .coverage htmlcov
