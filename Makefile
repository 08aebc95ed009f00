# Strategiekarte: `make run` starts the app, `make test` runs the whole suite (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast bench install install-dev seed clean-data

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: install, create/upgrade the database, seed the demo municipality if missing, start on port 8501
run: install
	$(PY) manage.py init-db
	$(PY) manage.py seed-demo --if-missing
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true

## test: install test tools (Chromium too), find PostgreSQL, run everything
test: install-dev
	bash tests/run_all.sh

## test-fast: unit and page tests on SQLite only (no browser, no PostgreSQL)
test-fast: install-dev
	$(PY) -m pytest -q -m "not e2e" -p no:cacheprovider

bench: install-dev
	$(PY) bench/run.py

seed: install
	$(PY) manage.py seed-demo --reset
