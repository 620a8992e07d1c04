# The two commands of the README: `make build` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

LOWEST := .venv-lowest

.PHONY: build test test-lowest lint bench clean

# exact versions from constraints.txt, so that every install gets the same libraries
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/luohu-kg build --out out

lint: $(STAMP)
	$(BIN)/ruff check builder tests benchmarks
	$(BIN)/ruff format --check builder tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# the suite again, on the lowest versions pyproject.toml allows (constraints-lowest.txt) and
# against a non-editable install: with -P and the importlib import mode, `builder` is the
# installed package in site-packages, not the checkout's source
test-lowest:
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet -c constraints-lowest.txt '.[dev]'
	$(LOWEST)/bin/python -P -c "import builder; assert '/site-packages/' in builder.__file__"
	$(LOWEST)/bin/python -P -m pytest -q -p no:cacheprovider --import-mode=importlib

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf out .venv .venv-lowest build *.egg-info
