# The two commands of the README: `make demo` and `make test`. Both create .venv.
# The others are for contributors (CONTRIBUTING.md): lint, format, check, bench, docs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= data
PYTEST_ARGS ?=
# pytest-xdist processes for `make test`: most slow tests wait on servers (IRC, Synapse,
# Chromium, SMTP), so more processes than cores shorten the run; TEST_WORKERS=0 runs
# everything in one process. A module's tests stay together (--dist loadfile): they
# share its module-scoped servers.
TEST_WORKERS ?= 4

.PHONY: demo test lint format check bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[planner]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# Loads the demo (once) and serves it; Ctrl-C stops. HOST/PORT change where it listens.
HOST ?= 127.0.0.1
PORT ?= 8000
demo: $(VENV)/.installed
	@echo "(ptghub is $(BIN)/ptghub here; '. $(BIN)/activate' puts it on your PATH)"
	$(BIN)/ptghub --data-dir $(DATA) demo --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# What to run before a commit: lint first (it is quick), then the whole suite.
check: lint test

# Every benchmark of bench/ once, with the quickest settings that still measure what it
# is for (bench/README.md has the full runs and the targets). A benchmark exits non-zero
# when it misses its target or cannot run; all of them run anyway, and `make bench` then
# fails naming them. On a busy machine the figures, and so the verdicts, are noise.
# One with other settings: make bench BENCHMARKS="'planner.py --time-limit 60'".
BENCHMARKS ?= \
	'cli.py --rounds 3' \
	'commands.py --n 500 --rounds 3' \
	'subscriptions.py --n 50 --rounds 3' \
	'board.py --concurrency 8 --rounds 2 --seconds 2 --warmup 1' \
	'fanout.py --n 2000 --rounds 2' \
	'live.py --rounds 5' \
	'db_load.py --seconds 30 --rounds 5 --viewers 1' \
	'web_flood.py --requests 5000 --slow 100' \
	'load.py --quick' \
	'charts.py --quick' \
	'irc_flood.py --n 10 --interval 0.4' \
	'history.py --quick' \
	'demo_load.py --quick' \
	'planner.py --time-limit 10'
bench: $(VENV)/.installed-dev
	@failed=""; \
	for benchmark in $(BENCHMARKS); do \
		echo "== python bench/$$benchmark"; \
		start=$$(date +%s); \
		$(BIN)/python bench/$$benchmark || failed="$$failed $${benchmark%% *}"; \
		echo "== bench/$${benchmark%% *}: $$(( $$(date +%s) - start )) s"; \
		echo; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "missed a target or could not run (see above):$$failed"; exit 1; \
	fi

# docs/commands.md is generated from the command registry; this regenerates it and fails
# when that changed it (then review the difference and commit it).
docs: $(VENV)/.installed
	$(BIN)/python -m ptghub.commands.reference > docs/commands.md.new || \
		{ rm -f docs/commands.md.new; exit 1; }
	mv docs/commands.md.new docs/commands.md
	@git diff --exit-code --stat docs/commands.md || \
		{ echo "docs/commands.md was out of date: regenerated; review and commit it"; exit 1; }

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
