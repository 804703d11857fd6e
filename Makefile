# The few commands people type. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## demo: set up, load the illustrative sample, value it and write the committee pack
demo: $(STAMP)
	$(BIN)/passu demo --dir passu-demo

## test: set up, lint, type-check, and run the whole test suite (SQLite and PostgreSQL)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: speed benchmarks (results go in the README)
bench: $(STAMP)
	$(BIN)/python bench/valuation_speed.py

clean:
	rm -rf $(VENV) passu-demo build *.egg-info
