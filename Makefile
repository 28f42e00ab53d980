# drift-open: two commands (make run, make test) plus demo, bench, reliability and doctor.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo install run test lint typecheck format bench bench-docs reliability reliability-docs crash-run doctor clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

# The whole flow against loopback fakes: no tokens, no network.
demo: $(STAMP)
	$(BIN)/python -m bench.demo

doctor: $(STAMP)
	$(BIN)/python app.py doctor

lint: $(STAMP)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

# Most tests wait on loopback servers rather than compute: four workers fit two cores, and
# work stealing keeps the long end-to-end tests from piling up on one worker at the end.
test: lint typecheck
	$(BIN)/python -m pytest -n 4 --dist worksteal

bench: $(STAMP)
	$(BIN)/python -m bench

# The same runs, rewriting the figures in docs/ (the plain targets leave git status clean).
bench-docs: $(STAMP)
	$(BIN)/python -m bench --write-docs

reliability-docs: $(STAMP)
	$(BIN)/python -m bench.fault_run --write-docs
	$(BIN)/python -m bench.crash_run --write-docs

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info

reliability: $(STAMP)
	$(BIN)/python -m bench.fault_run
	$(BIN)/python -m bench.crash_run

# The crash run alone.
crash-run: $(STAMP)
	$(BIN)/python -m bench.crash_run
