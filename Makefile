# repokit's own Makefile: every target bootstraps .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup ci demo test lint quality unit-tests framework-tests bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

ci: setup lint test

lint: setup
	$(BIN)/ruff check src tests scripts tasks.py
	$(BIN)/black --check --quiet src tests scripts tasks.py
	$(BIN)/mypy --strict src

test: setup
	$(BIN)/pytest -n 2 --cov --cov-report=term --cov-report=xml tests/unit tests/integration tests/contract

demo: setup
	$(BIN)/python -m repokit.demo

bench: setup
	$(BIN)/pytest tests/performance --benchmark-only

clean:
	rm -rf $(VENV) build dist .ci-artifacts test-reports .coverage* coverage.xml
