# `make run` and `make test` create .venv when it is missing, install the project, then act.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COMPILED := $(VENV)/.compiled
SOURCES := $(shell find src -name '*.py')

.PHONY: run test lint bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Byte-compile the sources, as pip does for installed packages (an editable install does
# not): start-up then never compiles them, even where PYTHONDONTWRITEBYTECODE is set.
$(COMPILED): $(STAMP) $(SOURCES)
	$(BIN)/python -m compileall -q src >/dev/null
	touch $(COMPILED)

run: $(COMPILED)
	$(BIN)/advisor $(ARGS)

test: $(COMPILED)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: $(COMPILED)
	$(BIN)/python scripts/bench.py

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis snapshot_report.html
