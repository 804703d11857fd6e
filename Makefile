# The few commands people type. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint layers format bench clean

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
	$(MAKE) --no-print-directory layers
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(MAKE) --no-print-directory layers

## layers: the import contracts of pyproject.toml ([tool.importlinter]): cli → reports →
## portfolio → valuation, valuation pure, reports without a database
# lint-imports (grimp) finds a package's modules by walking its folder, but passu's
# packages live in folders of their own (pyproject's package-dir), so it would see
# an empty `passu`. It walks a mirror instead: passu/ as installed, each package a
# symlink to its folder, built from package-dir so that a new package is seen too.
LAYERS := build/layers
define LAYERS_MIRROR
import pathlib, sys, tomllib
mirror = pathlib.Path(sys.argv[1]) / "passu"
mirror.mkdir(parents=True)
dirs = tomllib.loads(pathlib.Path("pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
for path in pathlib.Path(dirs["passu"]).resolve().glob("*.py"):
    (mirror / path.name).symlink_to(path)
for name, folder in dirs.items():
    if name.count(".") == 1:
        (mirror / name.split(".")[1]).symlink_to(pathlib.Path(folder).resolve())
endef
export LAYERS_MIRROR

layers: $(STAMP)
	rm -rf $(LAYERS)
	$(BIN)/python -c "$$LAYERS_MIRROR" $(LAYERS)
	cd $(LAYERS) && $(CURDIR)/$(BIN)/lint-imports --no-cache $(CURDIR)/pyproject.toml

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: speed benchmarks (results go in the README)
bench: $(STAMP)
	$(BIN)/python bench/valuation_speed.py
	$(BIN)/python bench/xirr_speed.py

clean:
	rm -rf $(VENV) passu-demo build *.egg-info
