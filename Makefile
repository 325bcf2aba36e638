# Quick start: `make demo` (serve the demo on http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export JEDEL_VAR_DIR ?= $(CURDIR)/var
# Test processes (pytest-xdist): one per core, at most 4; each has its own test database and Chromium.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(max(1, min(4, os.cpu_count() or 1)))')

.PHONY: setup demo test test-unit test-postgres lint bench messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,redis]'
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/jedel demo
	JEDEL_DEMO=1 $(BIN)/jedel serve

# Unit, service/API, browser and docs tests on SQLite; then the database tests again on PostgreSQL when
# JEDEL_TEST_DATABASE_URL is set (CI sets it). Redis is used by the whole run when REDIS_URL is set.
test: setup lint
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=15
	@if [ -n "$$JEDEL_TEST_DATABASE_URL" ]; then \
	  echo "== database tests on PostgreSQL =="; \
	  DATABASE_URL="$$JEDEL_TEST_DATABASE_URL" $(BIN)/pytest -n $(TEST_WORKERS) --durations=15 -m "not browser" tests \
	    --ignore=tests/core --ignore=tests/cli; \
	else echo "PostgreSQL variant skipped: JEDEL_TEST_DATABASE_URL is not set"; fi

lint: setup
	$(BIN)/lint-imports
	$(BIN)/mypy --strict src/jedel/core

bench: setup
	@mkdir -p bench/results
	$(BIN)/python bench/distribution.py | tee bench/results/distribution.json
	$(BIN)/python bench/current_status.py | tee bench/results/current_status.json
	$(BIN)/python bench/serve_load.py | tee bench/results/serve_load.json
# Notices over websockets, kill -9 of the worker and of a server (needs PostgreSQL + Redis; about 2 minutes).
# The issue's full size: bench/notify_load.py --notices 1000 --recipients 2000 (about 4 minutes on 2 cores).
	$(BIN)/python bench/notify_load.py --notices 200 --recipients 400 --baseline 10 | tee bench/results/notify_load.json
# An MCI through the API and 100 MCI boards (PostgreSQL + Redis; about 4 minutes). The issue's size: the defaults.
	$(BIN)/python bench/mci_load.py --seconds 30 --saturation-seconds 10 --boards 100 --board-seconds 20 | tee bench/results/mci_load.json
# Panic alarms: press -> console with 500 consoles, and a kill -9 durability run (PostgreSQL + Redis).
	$(BIN)/python bench/security_load.py | tee bench/results/security_load.json
# The MCI simulator against the same model in SimPy (5,000 casualties, 1,000 replications; about 4 minutes).
	$(BIN)/python bench/simulation.py | tee bench/results/simulation.json
# Distribution policies in the simulator on the Almaty night scenario (about 1.5 minutes), and the Dask speed-up.
	$(BIN)/python bench/distribution_sim.py | tee bench/results/distribution_sim.json
	$(BIN)/python bench/simulation_scaleout.py | tee bench/results/simulation_scaleout.json
# Stock and days of supply: 1,000 warehouses x 2,000 items x 10 M ledger entries (PostgreSQL; the first run loads in
# about 6 minutes on 2 cores, later runs reuse the database with --keep; the reads take about 3 minutes).
	$(BIN)/python bench/supplies_stock.py --keep | tee bench/results/supplies_stock.json

# Maintainers: refresh catalogues after changing strings (needs GNU gettext); .mo files are committed so
# users need no gettext.
messages: setup
	cd src/jedel && ../../$(BIN)/django-admin makemessages -l kk -l ru -l en --no-obsolete --settings=jedel.config.settings
	cd src/jedel && ../../$(BIN)/django-admin compilemessages --settings=jedel.config.settings

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache
