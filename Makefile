# repokit's own Makefile. Every target bootstraps .venv first; what CI runs is read from
# the workflow files by `inv ci`, so nothing here repeats a workflow's commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup ci quality unit-tests framework-tests integration demo bench clean

setup: $(STAMP)

# uv installs the same pins as pip, several times faster: every CI job makes a fresh venv.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	@touch $(STAMP)

# The PR Validation workflow, every job, on this machine.
ci: setup
	$(BIN)/inv ci --workflow pr

quality: setup
	$(BIN)/inv ci --workflow pr --job quality

unit-tests: setup
	$(BIN)/inv ci --workflow pr --job unit-tests

framework-tests: setup
	$(BIN)/inv ci --workflow pr --job framework-tests

# The Integration Tests workflow: the demo, the integration tests and the benchmarks.
integration: setup
	$(BIN)/inv ci --workflow integration

bench: setup
	$(BIN)/inv ci --workflow integration --job performance-baseline

demo: setup
	$(BIN)/python -m repokit.testing.demo

clean:
	rm -rf $(VENV) build dist .ci-artifacts test-reports .coverage* coverage*.xml htmlcov
